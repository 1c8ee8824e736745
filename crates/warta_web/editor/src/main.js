// The newsroom's body editor. It replaces the markup textarea of the article form
// when JavaScript runs; without it the textarea stays and works as before. The
// document is posted as `body_doc` (ProseMirror's JSON), which the server reads with
// `warta_core::doc::from_doc`.
import { EditorState, TextSelection } from "prosemirror-state";
import { EditorView } from "prosemirror-view";
import { Node as PMNode } from "prosemirror-model";
import { keymap } from "prosemirror-keymap";
import { history, undo, redo } from "prosemirror-history";
import { baseKeymap, toggleMark, setBlockType, chainCommands, exitCode } from "prosemirror-commands";
import { wrapInList, splitListItem, liftListItem } from "prosemirror-schema-list";
import { inputRules, wrappingInputRule, textblockTypeInputRule, InputRule } from "prosemirror-inputrules";
import { dropCursor } from "prosemirror-dropcursor";
import { gapCursor } from "prosemirror-gapcursor";
import { schema, checkUrl, embedKind, placeholders } from "./schema.js";
import { PhotoView, EmbedView, uploadPlugin, startUploads, setPhotoContext, insertEmbed, insertBlock } from "./media.js";
import { Picker } from "./picker.js";
import { LinkPopover } from "./link.js";
import { h, icon } from "./dom.js";

const N = schema.nodes;
const M = schema.marks;

// ---------------------------------------------------------------- commands

function inNode(state, type) {
  const { $from } = state.selection;
  for (let d = $from.depth; d > 0; d--) if ($from.node(d).type === type) return d;
  return 0;
}

function toQuote(state, dispatch) {
  const { $from } = state.selection;
  if ($from.depth < 1) return false;
  const depthQ = inNode(state, N.quote);
  if (depthQ) {
    // Back to a paragraph: the quote's lines, then its source on a line of its own.
    if (dispatch) {
      const q = $from.node(depthQ);
      const parts = [];
      q.child(0).forEach((n) => parts.push(n));
      if (q.child(1).textContent) {
        if (parts.length) parts.push(N.hard_break.create());
        parts.push(schema.text("— " + q.child(1).textContent));
      }
      const start = $from.before(depthQ);
      const tr = state.tr.replaceWith(start, $from.after(depthQ), N.paragraph.create(null, parts));
      tr.setSelection(TextSelection.near(tr.doc.resolve(start + 1)));
      dispatch(tr.scrollIntoView());
    }
    return true;
  }
  const para = $from.parent;
  // A paragraph or sub-heading of the body itself (not one inside a list).
  if ((para.type !== N.paragraph && para.type !== N.heading) || $from.depth !== 1) return false;
  if (dispatch) {
    const depth = $from.depth;
    const text = para.textContent;
    const q = N.quote.create(null, [
      N.quote_text.create(null, text ? schema.text(text) : null),
      N.quote_cite.create(),
    ]);
    const start = $from.before(depth);
    let tr = state.tr.replaceWith(start, $from.after(depth), q);
    tr = tr.setSelection(TextSelection.create(tr.doc, start + 2 + Math.min($from.parentOffset, text.length)));
    dispatch(tr.scrollIntoView());
  }
  return true;
}

function toggleList(type) {
  return (state, dispatch) => {
    const d = inNode(state, N.list_item);
    if (d && state.selection.$from.node(d - 1).type === type) return liftListItem(N.list_item)(state, dispatch);
    if (d) {
      // The other kind of list: change the list's type in place.
      if (dispatch) {
        const pos = state.selection.$from.before(d - 1);
        dispatch(state.tr.setNodeMarkup(pos, type));
      }
      return true;
    }
    return wrapInList(type)(state, dispatch);
  };
}

function toggleHeading(state, dispatch) {
  if (state.selection.$from.parent.type === N.heading) return setBlockType(N.paragraph)(state, dispatch);
  return setBlockType(N.heading)(state, dispatch);
}

// Enter in a quote's text: a new line of the quote; in its source: a new paragraph after.
function quoteEnter(state, dispatch) {
  const { $from } = state.selection;
  if ($from.parent.type === N.quote_text) {
    if (dispatch) dispatch(state.tr.replaceSelectionWith(N.hard_break.create()).scrollIntoView());
    return true;
  }
  if ($from.parent.type === N.quote_cite) {
    if (dispatch) {
      const after = $from.after($from.depth - 1);
      const tr = state.tr.insert(after, N.paragraph.create());
      tr.setSelection(TextSelection.create(tr.doc, after + 1));
      dispatch(tr.scrollIntoView());
    }
    return true;
  }
  return false;
}

// Tab in a quote's text goes to its source.
function quoteTab(state, dispatch) {
  const { $from } = state.selection;
  if ($from.parent.type !== N.quote_text) return false;
  if (dispatch) {
    const citeStart = $from.after() + 1;
    dispatch(state.tr.setSelection(TextSelection.create(state.doc, citeStart)));
  }
  return true;
}

const hardBreak = chainCommands(exitCode, (state, dispatch) => {
  if (dispatch) dispatch(state.tr.replaceSelectionWith(N.hard_break.create()).scrollIntoView());
  return true;
});

function rules() {
  return inputRules({
    rules: [
      textblockTypeInputRule(/^##\s$/, N.heading),
      wrappingInputRule(/^\s*[-*]\s$/, N.bullet_list),
      wrappingInputRule(/^(\d+)\.\s$/, N.ordered_list),
      // "> " at the start of a paragraph makes it a quote.
      new InputRule(/^>\s$/, (state, match, start, end) => {
        const $s = state.doc.resolve(start);
        if ($s.parent.type !== N.paragraph || $s.depth !== 1) return null;
        const para = $s.parent;
        const rest = para.textBetween(end - $s.start(), para.content.size);
        const q = N.quote.create(null, [
          N.quote_text.create(null, rest ? schema.text(rest) : null),
          N.quote_cite.create(),
        ]);
        const from = $s.before();
        const tr = state.tr.replaceWith(from, $s.after(), q);
        return tr.setSelection(TextSelection.create(tr.doc, from + 2));
      }),
    ],
  });
}

// ---------------------------------------------------------------- toolbar

function markActive(state, type) {
  const { from, $from, to, empty } = state.selection;
  if (empty) return !!type.isInSet(state.storedMarks || $from.marks());
  return state.doc.rangeHasMark(from, to, type);
}

function buildToolbar(t, items) {
  const bar = h("div", { class: "ed-toolbar", role: "toolbar", "aria-label": t.toolbar });
  for (const it of items) {
    if (it === "|") {
      bar.appendChild(h("span", { class: "ed-sep", "aria-hidden": "true" }));
      continue;
    }
    const b = h(
      "button",
      { type: "button", class: "ed-btn ed-b-" + it.key, title: it.title, "aria-label": it.title, "data-test": "ed-" + it.key },
      it.icon ? icon(it.icon) : it.label,
    );
    it.button = b;
    bar.appendChild(b);
  }
  return bar;
}

// ---------------------------------------------------------------- setup

function readData() {
  const el = document.getElementById("editor-data");
  if (!el) return null;
  try {
    return JSON.parse(el.textContent);
  } catch (e) {
    return null;
  }
}

function start() {
  const form = document.querySelector("form[data-test=editor]");
  const textarea = document.getElementById("body");
  const data = readData();
  if (!form || !textarea || !data || !data.doc) return;
  const t = data.t || {};
  let doc;
  try {
    doc = PMNode.fromJSON(schema, data.doc);
    doc.check();
  } catch (e) {
    // A body the editor cannot show stays in the textarea.
    return;
  }
  placeholders.cite = t.quote_source || "";
  setPhotoContext({ media: data.media || {}, t, csrf: form.getAttribute("data-csrf") });

  const hidden = h("input", { type: "hidden", name: "body_doc", value: JSON.stringify(doc.toJSON()) });
  form.appendChild(hidden);

  const wrap = h("div", { class: "ed", "data-test": "body-editor" });
  const help = document.getElementById("body-help");
  if (help) help.hidden = true;
  textarea.hidden = true;
  textarea.setAttribute("aria-hidden", "true");
  textarea.tabIndex = -1;
  textarea.parentNode.insertBefore(wrap, textarea);

  const picker = new Picker(t, form.getAttribute("data-csrf"));
  let view;
  const link = new LinkPopover(t, () => view);

  const items = [
    { key: "p", label: "¶", title: t.paragraph, run: setBlockType(N.paragraph), active: (s) => s.selection.$from.parent.type === N.paragraph && !inNode(s, N.list_item) },
    { key: "h", label: "H", title: t.heading + " (##)", run: toggleHeading, active: (s) => s.selection.$from.parent.type === N.heading },
    { key: "quote", icon: "quote", title: t.quote + " (>)", run: toQuote, active: (s) => !!inNode(s, N.quote) },
    { key: "ul", icon: "bullets", title: t.bullets + " (-)", run: toggleList(N.bullet_list), active: (s) => { const d = inNode(s, N.list_item); return !!d && s.selection.$from.node(d - 1).type === N.bullet_list; } },
    { key: "ol", icon: "numbers", title: t.numbers + " (1.)", run: toggleList(N.ordered_list), active: (s) => { const d = inNode(s, N.list_item); return !!d && s.selection.$from.node(d - 1).type === N.ordered_list; } },
    "|",
    { key: "bold", label: "B", title: t.bold + " (Ctrl+B)", run: toggleMark(M.bold), active: (s) => markActive(s, M.bold) },
    { key: "italic", label: "I", title: t.italic + " (Ctrl+I)", run: toggleMark(M.italic), active: (s) => markActive(s, M.italic) },
    { key: "link", icon: "link", title: t.link + " (Ctrl+K)", run: (s, d) => { if (d) link.open(); return true; }, active: (s) => markActive(s, M.link) },
    "|",
    { key: "photo", icon: "photo", title: t.insert_photo, run: (s, d) => { if (d) picker.open("insert", (m) => insertPhoto(view, m)); return true; } },
    { key: "embed", icon: "embed", title: t.insert_embed, run: (s, d) => { if (d) link.openEmbed(); return true; } },
    "|",
    { key: "undo", icon: "undo", title: t.undo + " (Ctrl+Z)", run: undo },
    { key: "redo", icon: "redo", title: t.redo + " (Ctrl+Y)", run: redo },
  ];
  const bar = buildToolbar(t, items);
  wrap.appendChild(bar);
  const mount = h("div", { class: "ed-body story-body" });
  wrap.appendChild(mount);

  const state = EditorState.create({
    doc,
    plugins: [
      rules(),
      keymap({
        "Mod-z": undo,
        "Mod-y": redo,
        "Shift-Mod-z": redo,
        "Mod-b": toggleMark(M.bold),
        "Mod-i": toggleMark(M.italic),
        "Mod-k": () => {
          link.open();
          return true;
        },
        Enter: chainCommands(quoteEnter, splitListItem(N.list_item)),
        Tab: quoteTab,
        "Shift-Enter": hardBreak,
        "Mod-Enter": hardBreak,
      }),
      keymap(baseKeymap),
      history(),
      dropCursor({ color: "#c8102e", width: 3 }),
      gapCursor(),
      uploadPlugin,
    ],
  });

  view = new EditorView(mount, {
    state,
    attributes: { class: "ed-doc", "aria-label": t.body || "Body", role: "textbox", "aria-multiline": "true", spellcheck: "true", lang: document.documentElement.lang || "id" },
    nodeViews: {
      photo: (node, v, getPos) => new PhotoView(node, v, getPos),
      embed: (node, v, getPos) => new EmbedView(node, v, getPos),
    },
    handlePaste: (v, event, slice) => {
      const files = Array.from((event.clipboardData && event.clipboardData.files) || []).filter((f) => f.type.startsWith("image/"));
      if (files.length) {
        startUploads(v, files, v.state.selection.from);
        return true;
      }
      const text = event.clipboardData ? event.clipboardData.getData("text/plain").trim() : "";
      if (text && !/\s/.test(text) && checkUrl(text) && /^https?:/i.test(text)) {
        const { empty, $from } = v.state.selection;
        if (embedKind(text) && empty && $from.parent.type === N.paragraph && $from.parent.content.size === 0) {
          insertEmbed(v, text);
          return true;
        }
        if (!empty) {
          v.dispatch(v.state.tr.addMark(v.state.selection.from, v.state.selection.to, M.link.create({ href: text })));
          return true;
        }
      }
      return false;
    },
    handleDrop: (v, event, slice, moved) => {
      if (moved) return false;
      const files = Array.from((event.dataTransfer && event.dataTransfer.files) || []).filter((f) => f.type.startsWith("image/"));
      if (!files.length) return false;
      const at = v.posAtCoords({ left: event.clientX, top: event.clientY });
      startUploads(v, files, at ? at.pos : v.state.selection.from);
      event.preventDefault();
      return true;
    },
    dispatchTransaction(tr) {
      const next = view.state.apply(tr);
      view.updateState(next);
      refresh();
      if (tr.docChanged) {
        countWords(next.doc);
        hidden.value = JSON.stringify(next.doc.toJSON());
        form.dispatchEvent(new Event("input", { bubbles: true }));
      }
    },
  });

  function refresh() {
    for (const it of items) {
      if (it === "|" || !it.button) continue;
      it.button.disabled = !it.run(view.state, null);
      const on = it.active ? it.active(view.state) : false;
      it.button.classList.toggle("on", !!on);
      if (it.active) it.button.setAttribute("aria-pressed", on ? "true" : "false");
    }
  }
  for (const it of items) {
    if (it === "|") continue;
    it.button.addEventListener("mousedown", (e) => e.preventDefault());
    it.button.addEventListener("click", () => {
      it.run(view.state, view.dispatch, view);
      view.focus();
    });
  }
  refresh();

  // The form is posted with the document; a photo still uploading holds it back.
  form.addEventListener("submit", (e) => {
    hidden.value = JSON.stringify(view.state.doc.toJSON());
    if (wrap.querySelector(".ed-uploading")) {
      e.preventDefault();
      alert(t.still_uploading);
    }
  });

  heroPicker(form, picker, data, t);
  window.wartaEditor = view;
}

// "350 kata · sekitar 2 menit baca", as the server counts (warta_core::newsroom::reading).
function countWords(doc) {
  const el = document.getElementById("word-count");
  if (!el) return;
  const words = doc.textBetween(0, doc.content.size, " ", " ").split(/\s+/).filter(Boolean).length;
  el.textContent = el.getAttribute("data-form").replace("{w}", words).replace("{m}", Math.ceil(words / 200));
}

function insertPhoto(view, m) {
  insertBlock(view, N.photo.create({ media_id: m.id, caption: "", credit: "" }));
}

// The hero photo: a thumbnail and a picker instead of a number.
function heroPicker(form, picker, data, t) {
  const input = document.getElementById("hero");
  if (!input) return;
  const box = h("div", { class: "ed-hero", "data-test": "hero-picker" });
  const thumb = h("div", { class: "ed-hero-thumb" });
  const choose = h("button", { type: "button", "data-test": "hero-choose" }, t.choose_photo);
  const clear = h("button", { type: "button", class: "quiet", "data-test": "hero-clear" }, t.remove);
  box.append(thumb, h("div", { class: "ed-hero-actions" }, choose, clear));
  input.type = "hidden";
  input.parentNode.insertBefore(box, input);
  const label = document.querySelector("label[for=hero]");
  if (label) label.textContent = t.hero_title;
  const next = input.nextElementSibling;
  if (next && next.classList.contains("help")) next.hidden = true;

  function show() {
    thumb.textContent = "";
    const id = input.value.trim().replace(/^#/, "");
    const m = id && data.media && data.media[id];
    if (m) {
      thumb.appendChild(h("img", { src: m.thumb, alt: m.alt || "" }));
      thumb.appendChild(h("p", { class: "ed-hero-cap" }, m.caption || m.alt || ""));
      if (!m.alt) thumb.appendChild(h("p", { class: "ed-warn" }, t.alt_missing));
    } else if (id) {
      thumb.appendChild(h("p", { class: "help" }, t.photo + " " + id));
    } else {
      thumb.appendChild(h("p", { class: "help" }, t.no_hero));
    }
    clear.hidden = !id;
  }
  choose.addEventListener("click", () =>
    picker.open("hero", (m) => {
      data.media[String(m.id)] = m;
      input.value = String(m.id);
      form.dispatchEvent(new Event("input", { bubbles: true }));
      show();
    }),
  );
  clear.addEventListener("click", () => {
    input.value = "";
    form.dispatchEvent(new Event("input", { bubbles: true }));
    show();
  });
  show();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
