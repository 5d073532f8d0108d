"""«Kopier lenke»: one button that copies the view's link, by a click or a tap.

The link shown in a code box copies only through the box's own copy icon, which appears on
hover – and a phone has no hover. This button copies the address bar as it is when tapped
(page, kommune, language and filters are all in it: components/state.py writes them there),
says «Lenke kopiert» for a moment, and falls back to a selection copy where the Clipboard API
is missing (a page served over plain http to another machine). The link stays visible below it,
so it can also be selected by hand.

A Streamlit custom component (st.components.v2: in the page itself, no iframe, no CDN).
"""

from __future__ import annotations

import streamlit as st

from components.i18n import t

# The link icon is inline SVG: an emoji needs a colour font the machine may not have.
HTML = """<button type="button" class="sk-copy-link"><svg class="sk-icon" aria-hidden="true"
 viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2"
 stroke-linecap="round" stroke-linejoin="round"><path d="M10 13a5 5 0 0 0 7.07 0l3-3a5 5 0 0
 0-7.07-7.07l-1.5 1.5"/><path d="M14 11a5 5 0 0 0-7.07 0l-3 3a5 5 0 0 0 7.07 7.07l1.5-1.5"/>
</svg><span class="sk-label"></span></button>"""

CSS = """
.sk-copy-link {
  display: flex; align-items: center; justify-content: center; gap: 0.5rem;
  width: 100%; min-height: 44px; padding: 0.375rem 0.75rem; margin: 0;
  font: inherit; font-size: 0.95rem; line-height: 1.4; color: inherit; cursor: pointer;
  background: transparent; border: 1px solid rgba(49, 51, 63, 0.25); border-radius: 0.5rem;
  touch-action: manipulation; -webkit-tap-highlight-color: transparent;
}
.sk-copy-link:hover { border-color: #ff4b4b; color: #ff4b4b; }
.sk-copy-link:focus-visible { outline: 2px solid #ff4b4b; outline-offset: 2px; }
.sk-copy-link[data-state="done"] { border-color: #21c354; color: #177233; }
@media print { .sk-copy-link { display: none !important; } }
"""

JS = """
async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch (e) { /* fall back to a selection copy */ }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.top = "0";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  area.setSelectionRange(0, text.length);
  let ok = false;
  try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
  area.remove();
  return ok;
}
export default function ({ data, parentElement }) {
  const button = parentElement.querySelector("button.sk-copy-link");
  if (!button) return;
  const label = button.querySelector(".sk-label");
  button.__labels = data;
  if (!button.dataset.state) label.textContent = data.label;
  button.setAttribute("aria-label", data.label);
  button.title = data.help;
  if (button.__wired) return;
  button.__wired = true;
  button.addEventListener("click", async () => {
    const labels = button.__labels;
    const ok = await copyText(window.location.href);
    button.dataset.state = ok ? "done" : "failed";
    label.textContent = ok ? labels.done : labels.failed;
    clearTimeout(button.__timer);
    button.__timer = setTimeout(() => {
      delete button.dataset.state;
      label.textContent = button.__labels.label;
    }, 2500);
  });
}
"""

_component = st.components.v2.component(
    "skolemiljo_copy_link", html=HTML, css=CSS, js=JS, isolate_styles=True
)


def copy_link_button(key: str = "copy_link") -> None:
    """The button, in the page's language; the link itself is read from the address bar."""
    _component(
        key=key,
        data={
            "label": t("common.copy_link"),
            "done": t("common.copy_link_done"),
            "failed": t("common.copy_link_failed"),
            "help": t("common.copy_link_help"),
        },
    )
