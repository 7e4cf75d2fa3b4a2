"""What both HTML reports share: escaping, the page shell, its Content-Security-Policy, CSS and the script.

A report is one self-contained HTML file: no external resource, no network
request. The Content-Security-Policy forbids everything (``default-src
'none'``) except inline styles and the one inline script whose SHA-256 hash
is written into the policy, so a ``<script>`` smuggled in through article text
could not run even if escaping failed. The script only sorts and filters;
without it every row and every detail is still in the page (``<details>``
opens without script).
"""

from __future__ import annotations

import base64
import hashlib
import math
from typing import Any, Iterable

from scorer.outputs import esc  # the one HTML escaper (control characters become U+FFFD)

#: Sorting, filtering and "open all" for every ``table.sortable`` / ``div.sortable`` list in the page.
SCRIPT = r"""(function(){
document.documentElement.classList.add('js');
function key(el,k,num,col){var v=el.getAttribute('data-'+k);if(v===null){var c=el.querySelector('.c-'+k)||(el.firstElementChild&&el.firstElementChild.children[col]);v=c?c.textContent:'';}
if(num){var f=parseFloat(v);return isNaN(f)?-Infinity:f;}return v.toLowerCase();}
function text(el){var t=el.getAttribute('data-text');if(t===null){var m=el.querySelector('.meta');t=(el.firstElementChild?el.firstElementChild.textContent:'')+' '+(m?m.textContent:'');t=t.toLowerCase();el.setAttribute('data-text',t);}return t;}
document.querySelectorAll('[data-list]').forEach(function(list){
  var body=list.querySelector('.rows'),items=Array.prototype.slice.call(body.children),dir={};
  list.querySelectorAll('button[data-sort]').forEach(function(b){
    b.addEventListener('click',function(){
      var k=b.getAttribute('data-sort'),num=b.hasAttribute('data-num'),col=+b.getAttribute('data-col');dir[k]=-(dir[k]||(num?1:-1));
      var d=dir[k];items.sort(function(x,y){var a=key(x,k,num,col),c=key(y,k,num,col);return a<c?-d:a>c?d:0;});
      var frag=document.createDocumentFragment();items.forEach(function(i){frag.appendChild(i);});body.appendChild(frag);
      list.querySelectorAll('button[data-sort]').forEach(function(o){o.removeAttribute('aria-sort');});
      b.setAttribute('aria-sort',d>0?'ascending':'descending');
    });
  });
  var box=list.querySelector('input[data-filter]'),count=list.querySelector('.count');
  if(box){box.addEventListener('input',function(){
    var q=box.value.toLowerCase().trim(),n=0;
    items.forEach(function(i){var hit=!q||text(i).indexOf(q)>=0;i.hidden=!hit;if(hit)n++;});
    if(count)count.textContent=n+' of '+items.length+' shown';
  });}
});
})();"""

CSS = """
:root{--pos:#2e8b57;--neg:#c0392b;--line:#d8d8d8;--muted:#5f6368}
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:1.5em auto;max-width:78em;padding:0 1em;color:#1f2328;line-height:1.4}
h1{margin:.2em 0}h2{margin-top:1.6em;border-bottom:1px solid var(--line);padding-bottom:.2em}
.muted{color:var(--muted)}.small{font-size:.85em}.err{color:var(--neg)}
table{border-collapse:collapse;margin:.6em 0}td,th{border-bottom:1px solid var(--line);padding:.25em .55em;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.facts{display:flex;flex-wrap:wrap;gap:.4em 1.6em;margin:.5em 0}.facts strong{font-size:1.3em}
.charts{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}.charts figure{margin:0}
figcaption{font-size:.85em;color:var(--muted);max-width:26em}
svg text{font-family:system-ui,sans-serif}
.tools{display:none;margin:.5em 0;gap:1em;align-items:center;flex-wrap:wrap}.js .tools{display:flex}
.tools input{padding:.3em .5em;min-width:22em}
button[data-sort]{font:inherit;font-size:.9em;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:#0b57d0;text-align:left}
button[aria-sort=ascending]::after{content:" \\25B2"}button[aria-sort=descending]::after{content:" \\25BC"}
.nojs-note{font-size:.85em;color:var(--muted)}.js .nojs-note{display:none}
.list .head{font-weight:600;border-bottom:2px solid #999;padding:.3em .4em}
.list .row{border-bottom:1px solid var(--line);content-visibility:auto;contain-intrinsic-size:auto 2.2em}
.list .row>summary{cursor:pointer;padding:.3em .4em;list-style:none}
.articles .grid{grid-template-columns:var(--cols)}.pairs .grid{grid-template-columns:9em 5em 6.5em 9em minmax(10em,1fr) minmax(10em,1fr)}
.bar>.p{background:var(--pos)}.bar>.n{background:var(--neg)}
.list .row>summary::-webkit-details-marker{display:none}
.list .row>summary:hover{background:#f5f8ff}
.list .row[open]>summary{background:#eef3fd}
.grid{display:grid;gap:.2em .8em;align-items:baseline}
.cell-num{text-align:right;font-variant-numeric:tabular-nums}
.clip,.grid>span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.detail{padding:.5em 1em 1em 1.2em;border-left:3px solid #c5d6f7;margin:.2em 0 .8em .4em}
.badge{display:inline-block;padding:0 .45em;border-radius:1em;font-variant-numeric:tabular-nums}
.bars td{border:0;padding:.1em .4em}.bar{position:relative;height:.9em;width:16em;background:linear-gradient(to right,transparent 49.6%,#999 49.6%,#999 50.4%,transparent 50.4%)}
.bar>i{position:absolute;top:0;height:100%}.bars td:nth-child(2){text-align:right;font-variant-numeric:tabular-nums}
.bars i[class^=f]{font-style:normal}.grid>i{font-style:normal;text-align:right;font-variant-numeric:tabular-nums}
.sc-text{white-space:pre-wrap;line-height:1.6;border:1px solid var(--line);padding:.6em .9em;border-radius:4px;max-height:32em;overflow:auto}
.side{display:grid;grid-template-columns:1fr 1fr;gap:.2em 1em}.side>div{padding:.3em .5em;border-bottom:1px solid var(--line);font-size:.92em}
.side .tag{grid-column:1/3;font-size:.8em;color:var(--muted);border:0;padding:.5em 0 0}
mark.same{background:#e4d4f7;border-bottom:2px solid #7b2cbf;padding:0}
.role-origin{background:#ffe8a3}.role-copy{background:#f3d1d1}.role-rewrite{background:#e4d4f7}.role-member{background:#eee}
a{color:#0b57d0}
@media print{.tools{display:none}}
"""




def attr_text(*parts: Any) -> str:
    """Lower-cased text for a ``data-text`` filter attribute (escaped; newlines folded)."""
    return esc(" ".join(" ".join(str(p).split()) for p in parts if p is not None).lower())


def num(value: Any, digits: int = 3) -> str:
    """A number for a cell ("-" for missing)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:.{digits}f}" if isinstance(value, float) else str(value)
    return str(value)


def sort_value(value: Any) -> str:
    """A value for a ``data-*`` sort attribute ("" for missing)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return esc(f"{value:.6g}" if isinstance(value, float) else value)


def script_hash(script: str = SCRIPT) -> str:
    """The CSP source (``'sha256-...'``) that allows exactly ``script`` to run inline."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def csp(script: str | None = SCRIPT) -> str:
    """The page's Content-Security-Policy: nothing from anywhere; inline styles; only our script, by hash."""
    scripts = f"; script-src {script_hash(script)}" if script else ""
    return f"default-src 'none'; style-src 'unsafe-inline'{scripts}; img-src 'none'; form-action 'none'; base-uri 'none'"


def page(title: str, body: Iterable[str], script: str | None = SCRIPT) -> str:
    """A whole report page: ``body`` parts (already escaped HTML) inside the shell, our script last."""
    tail = f"<script>{script}</script>" if script else ""
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{csp(script)}\">"
            "<meta name='referrer' content='no-referrer'>"
            "<meta name='viewport' content='width=device-width,initial-scale=1'>"
            f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
            + "".join(body) + tail + "</body></html>\n")


def safe_link(url: Any, text: str) -> str:
    """``text`` (already escaped) linked to ``url`` only when it is plain http(s); else the text alone."""
    if url and str(url).strip().lower().startswith(("http://", "https://")):
        return f'<a href="{esc(str(url).strip())}" rel="noopener noreferrer nofollow">{text}</a>'
    return text


def score_badge(score: float | None) -> str:
    """A score in a coloured pill (red 0 .. green 1); a dash when there is none."""
    if score is None or (isinstance(score, float) and not math.isfinite(score)):
        return '<span class="badge muted">–</span>'
    hue = int(120 * max(0.0, min(1.0, float(score))))
    return f'<span class="badge" style="background:hsl({hue},70%,82%)">{float(score):.2f}</span>'


def sort_button(key: str, label: str, numeric: bool = False, title: str | None = None, column: int | None = None) -> str:
    """A header button that sorts the list by ``data-<key>``, else the ``c-<key>`` cell, else cell ``column`` of the row's summary."""
    extra = (" data-num" if numeric else "") + (f' data-col="{column}"' if column is not None else "")
    tip = f' title="{esc(title)}"' if title else ""
    return f'<button type="button" data-sort="{esc(key)}"{extra}{tip}>{esc(label)}</button>'


def filter_box(placeholder: str, total: int) -> str:
    """The text filter and the count of rows shown (visible only when the script runs)."""
    return (f'<div class="tools"><input type="search" data-filter placeholder="{esc(placeholder)}" '
            f'aria-label="{esc(placeholder)}"><span class="count muted">{total} of {total} shown</span></div>'
            '<p class="nojs-note">Sorting and filtering need JavaScript; every row and detail is shown without it.</p>')
