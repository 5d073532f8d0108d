"""The meeting's browser side: notes kept in the browser's localStorage, the keyboard, scrolling.

Why localStorage: notes can name pupils and staff, so they never go to the server's disk or to
another user. They live in the meeting computer's browser (this site's storage, this browser
profile only) from the first key typed until «Slett møtet»; a reload, a closed tab or a server
restart does not lose them. The summary download is the only way they leave the machine.

One Streamlit custom component (st.components.v2, no iframe, no CDN: the script is inline) does
four things in the page itself:

- saves every notes box as it is typed (debounced, before Streamlit even sees the text);
- hands the stored notes to Python once per session (`restore_id`), which puts them back into
  the notes boxes and the summary;
- forgets them when Python passes a new `clear` token («Slett møtet» confirmed);
- PageDown/PageUp go to the next/previous step from anywhere, the notes box included (a text
  box rarely needs them); ArrowRight/ArrowLeft do the same when no field has the focus. After a
  step change the main area is scrolled to its top once the run has finished drawing.
"""

from __future__ import annotations

import uuid

import streamlit as st

STORAGE_KEY = "skolemiljo.dialogmote.v1"
NOTE_KEY = "dlg_note_"  # widget keys dlg_note_0 … dlg_note_6 (Streamlit adds .st-key-<key>)
NEXT_KEY, PREV_KEY = "dlg_next", "dlg_prev"
_BRIDGE = "dlg_bridge"
_RESTORE_ID = "_dlg_restore_id"
_RESTORED = "_dlg_restored"
_CLEAR = "_dlg_clear"
DELETED = "_dlg_deleted"  # one notice after «Slett møtet»
NOTES = "_dlg_notes"  # {step: text}: the session's copy, read by the summary

JS = """
const KEY = "__STORAGE__";
const NOTE = "__NOTE__";
function readNotes() {
  try {
    const v = JSON.parse(window.localStorage.getItem(KEY) || "{}");
    return v && typeof v.notes === "object" && v.notes ? v.notes : {};
  } catch (e) { return {}; }
}
function writeNote(step, text) {
  try {
    const notes = readNotes();
    if (text && text.trim()) { notes[step] = text; } else { delete notes[step]; }
    window.localStorage.setItem(KEY, JSON.stringify({ notes: notes, saved: new Date().toISOString() }));
  } catch (e) { /* storage full or disabled: the session copy still holds the note */ }
}
function editable(el) {
  return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}
function noteStep(el) {
  const box = el && el.closest && el.closest('[class*="st-key-' + NOTE + '"]');
  if (!box) return null;
  const m = box.className.match(new RegExp("st-key-" + NOTE + "(\\\\d+)"));
  return m ? m[1] : null;
}
function scrollToTop() {
  for (const sel of ['[data-testid="stMain"]', 'section.main', '[data-testid="stAppViewContainer"]']) {
    const el = document.querySelector(sel);
    if (el) el.scrollTop = 0;
  }
  window.scrollTo(0, 0);
}
function install(g) {
  // Saved as typed: a debounced write per notes box.
  document.addEventListener("input", (e) => {
    const step = noteStep(e.target);
    if (step === null) return;
    clearTimeout(g.timers[step]);
    const text = e.target.value;
    g.timers[step] = setTimeout(() => { delete g.timers[step]; writeNote(step, text); }, 300);
  }, true);
  document.addEventListener("keydown", (e) => {
    const next = document.querySelector(".st-key-__NEXT__ button");
    const prev = document.querySelector(".st-key-__PREV__ button");
    if (!next || !prev || document.querySelector('[role="dialog"]')) return;
    let dir = 0;
    if (e.key === "PageDown") dir = 1;
    else if (e.key === "PageUp") dir = -1;
    else if (!e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && !editable(e.target)) {
      if (e.key === "ArrowRight") dir = 1;
      if (e.key === "ArrowLeft") dir = -1;
    }
    if (!dir) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    const button = dir > 0 ? next : prev;
    if (button.disabled) return;
    const active = document.activeElement;
    const step = noteStep(active);
    if (step !== null) {  // keep the text: save it now and let Streamlit commit it (blur)
      clearTimeout(g.timers[step]);
      delete g.timers[step];
      writeNote(step, active.value);
    }
    if (editable(active)) active.blur();
    g.pendingTop = true;
    setTimeout(() => button.click(), 0);
  }, true);
  // Leaving the page (reload, tab closed): write what the debounce still holds.
  window.addEventListener("pagehide", () => {
    document.querySelectorAll('[class*="st-key-' + NOTE + '"] textarea').forEach((el) => {
      const step = noteStep(el);
      if (step !== null && g.timers[step]) { clearTimeout(g.timers[step]); delete g.timers[step]; writeNote(step, el.value); }
    });
  });
  // Scroll to the top when the run that draws the new step has finished.
  const app = document.querySelector('[data-testid="stApp"]');
  if (app) {
    new MutationObserver(() => {
      const state = app.getAttribute("data-test-script-state");
      if (g.pendingTop && state !== "running") { g.pendingTop = false; scrollToTop(); }
    }).observe(app, { attributes: true, attributeFilter: ["data-test-script-state"] });
  }
}
export default function (component) {
  const { data, setStateValue } = component;
  const g = window.__skolemiljoDialog || (window.__skolemiljoDialog = { timers: {} });
  if (!g.installed) { g.installed = true; install(g); }
  if (data.clear && g.cleared !== data.clear) {
    g.cleared = data.clear;
    Object.values(g.timers).forEach(clearTimeout);
    g.timers = {};
    try { window.localStorage.removeItem(KEY); } catch (e) { /* nothing stored */ }
  }
  if (data.restore_id && g.restoreSent !== data.restore_id) {
    g.restoreSent = data.restore_id;
    setStateValue("stored", { id: data.restore_id, notes: readNotes() });
  }
  if (g.step !== undefined && g.step !== data.step) {
    g.pendingTop = true;
    scrollToTop();
  }
  g.step = data.step;
}
"""
for _token, _value in (
    ("__STORAGE__", STORAGE_KEY),
    ("__NOTE__", NOTE_KEY),
    ("__NEXT__", NEXT_KEY),
    ("__PREV__", PREV_KEY),
):
    JS = JS.replace(_token, _value)

_component = st.components.v2.component("skolemiljo_dialog_bridge", js=JS, isolate_styles=False)


def _restore() -> None:
    """Callback (before the script runs, so the notes boxes can still be filled): the notes the
    browser stored, for this session's restore id, fill every step this session has no note for."""
    stored = (st.session_state.get(_BRIDGE) or {}).get("stored") or {}
    if stored.get("id") != st.session_state.get(_RESTORE_ID) or st.session_state.get(_RESTORED):
        return
    st.session_state[_RESTORED] = True
    notes = st.session_state.setdefault(NOTES, {})
    for step, text in (stored.get("notes") or {}).items():
        if (
            str(step).isdigit()
            and isinstance(text, str)
            and not (notes.get(int(step)) or "").strip()
        ):
            notes[int(step)] = text
            st.session_state[f"{NOTE_KEY}{int(step)}"] = text


def mount(step: int) -> None:
    """Draw the (invisible) bridge once per run; `step` changes make the browser scroll to top."""
    restore_id = st.session_state.setdefault(_RESTORE_ID, uuid.uuid4().hex)
    _component(
        key=_BRIDGE,
        data={
            "step": step,
            "restore_id": None if st.session_state.get(_RESTORED) else restore_id,
            "clear": st.session_state.get(_CLEAR),
        },
        on_stored_change=_restore,
        height=0,
    )


def delete_meeting() -> None:
    """Forget the meeting: the session's notes now, the browser's copy on the next draw."""
    st.session_state[NOTES] = {}
    for key in [k for k in st.session_state if str(k).startswith(NOTE_KEY)]:
        st.session_state[key] = ""
    st.session_state[_CLEAR] = uuid.uuid4().hex
    st.session_state[DELETED] = True
