// Photos and embeds in the body: their node views, and uploads by paste or drop with
// a progress bar where the photo will be.
import { Plugin, PluginKey, TextSelection } from "prosemirror-state";
import { Decoration, DecorationSet } from "prosemirror-view";
import { schema, embedKind } from "./schema.js";
import { h, fetchJson } from "./dom.js";

const ctx = { media: {}, t: {}, csrf: "" };

export function setPhotoContext(c) {
  Object.assign(ctx, c);
}

export function mediaInfo(id) {
  return ctx.media[String(id)] || null;
}

export function rememberMedia(m) {
  ctx.media[String(m.id)] = m;
}

// Uploads one file; `progress` gets a fraction. Resolves to the photo's record.
export function upload(file, progress) {
  return new Promise((resolve, reject) => {
    const fd = new FormData();
    fd.append("csrf", ctx.csrf);
    fd.append("file", file, file.name || "foto");
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/admin/photos");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && progress) progress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch (e) {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body && body.id) {
        body.fresh = true;
        rememberMedia(body);
        resolve(body);
      } else {
        reject(new Error((body && body.error) || ctx.t.upload_failed + " (HTTP " + xhr.status + ")"));
      }
    };
    xhr.onerror = () => reject(new Error(ctx.t.upload_failed));
    xhr.send(fd);
  });
}

// ---------------------------------------------------------------- placeholders

const key = new PluginKey("uploads");

export const uploadPlugin = new Plugin({
  key,
  state: {
    init: () => DecorationSet.empty,
    apply(tr, set) {
      set = set.map(tr.mapping, tr.doc);
      const action = tr.getMeta(key);
      if (action && action.add) {
        const el = h(
          "div",
          { class: "ed-uploading", "data-test": "uploading", role: "status" },
          h("span", { class: "ed-upload-name" }, ctx.t.uploading + " " + (action.add.name || "")),
          h("span", { class: "ed-bar" }, h("span", { class: "ed-bar-fill" })),
        );
        action.add.el = el;
        set = set.add(tr.doc, [Decoration.widget(action.add.pos, el, { id: action.add.id, side: -1 })]);
      } else if (action && action.remove) {
        set = set.remove(set.find(null, null, (spec) => spec.id === action.remove.id));
      }
      return set;
    },
  },
  props: {
    decorations(state) {
      return this.getState(state);
    },
  },
});

function findPlaceholder(state, id) {
  const found = key.getState(state).find(null, null, (spec) => spec.id === id);
  return found.length ? found[0].from : null;
}

// Block-level position at or after `pos` where a photo can go.
function blockPos(doc, pos) {
  const $p = doc.resolve(Math.max(0, Math.min(pos, doc.content.size)));
  if ($p.depth === 0) return $p.pos;
  return $p.parent.content.size === 0 && $p.depth === 1 ? $p.before(1) : $p.after(1);
}

export function startUploads(view, files, pos) {
  for (const file of files) {
    const id = {};
    const at = blockPos(view.state.doc, pos);
    const add = { id, pos: at, name: file.name };
    view.dispatch(view.state.tr.setMeta(key, { add }));
    upload(file, (f) => {
      const fill = add.el && add.el.querySelector(".ed-bar-fill");
      if (fill) fill.style.width = Math.round(f * 100) + "%";
    }).then(
      (m) => {
        const where = findPlaceholder(view.state, id);
        const tr = view.state.tr.setMeta(key, { remove: { id } });
        if (where !== null) {
          const $w = view.state.doc.resolve(where);
          const empty = $w.parent.type === schema.nodes.paragraph && $w.parent.content.size === 0 && $w.depth === 1;
          const node = schema.nodes.photo.create({ media_id: m.id, caption: "", credit: "" });
          if (empty) tr.replaceWith($w.before(1), $w.after(1), node);
          else tr.insert(where, node);
        }
        view.dispatch(tr);
        // Ask for the photo's texts at once.
        setTimeout(() => {
          const input = view.dom.querySelector(`figure[data-media-id="${m.id}"] input[data-f=caption]`);
          if (input) input.focus();
        }, 0);
      },
      (err) => {
        view.dispatch(view.state.tr.setMeta(key, { remove: { id } }));
        notice(view, err.message);
      },
    );
  }
}

export function notice(view, text) {
  const box = view.dom.parentNode.parentNode.querySelector(".ed-notice") || h("p", { class: "ed-notice msg", role: "alert", "data-test": "editor-notice" });
  box.textContent = text;
  view.dom.parentNode.parentNode.insertBefore(box, view.dom.parentNode);
}

// ---------------------------------------------------------------- node views

// A text field inside the editor (inside the article's form: no name, so it is not
// posted, and Enter does not submit the form).
export function field(label, name, value, placeholder, test, required) {
  const input = h("input", {
    type: "text",
    "data-f": name,
    value: value || "",
    placeholder: placeholder || "",
    "data-test": test,
    "aria-required": required ? "true" : null,
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      input.dispatchEvent(new Event("change"));
    }
  });
  return { el: h("label", { class: "ed-field" }, h("span", null, label), input), input };
}

// What the photo and embed views share: a block that is not edited as text, with
// fields of its own, an attribute setter and a remove button.
class BlockView {
  constructor(node, view, getPos) {
    this.node = node;
    this.view = view;
    this.getPos = getPos;
  }

  setAttr(name, value) {
    const pos = this.getPos();
    if (typeof pos !== "number") return;
    const attrs = Object.assign({}, this.node.attrs, { [name]: value });
    this.view.dispatch(this.view.state.tr.setNodeMarkup(pos, null, attrs));
  }

  removeButton() {
    const t = ctx.t;
    const b = h("button", { type: "button", class: "ed-photo-remove quiet", title: t.remove, "aria-label": t.remove, "data-test": "block-remove" }, "✕");
    b.addEventListener("click", () => {
      const pos = this.getPos();
      if (typeof pos === "number") this.view.dispatch(this.view.state.tr.delete(pos, pos + this.node.nodeSize));
    });
    return b;
  }

  selectNode() {
    this.dom.classList.add("ProseMirror-selectednode");
  }

  deselectNode() {
    this.dom.classList.remove("ProseMirror-selectednode");
  }

  stopEvent(e) {
    const tag = e.target && e.target.tagName;
    return tag === "INPUT" || tag === "BUTTON" || tag === "A";
  }

  ignoreMutation() {
    return true;
  }
}

export class PhotoView extends BlockView {
  constructor(node, view, getPos) {
    super(node, view, getPos);
    const t = ctx.t;
    this.dom = h("figure", { class: "ed-photo", contenteditable: "false", "data-media-id": node.attrs.media_id, "data-test": "body-photo" });
    this.img = h("img", { alt: "", draggable: "false" });
    this.dom.appendChild(h("div", { class: "ed-photo-img", "data-drag-handle": "" }, this.img));
    const fields = h("div", { class: "ed-photo-fields" });
    const m = mediaInfo(node.attrs.media_id) || {};
    this.caption = field(t.caption, "caption", node.attrs.caption, m.caption || t.caption_help, "photo-caption");
    this.credit = field(t.credit, "credit", node.attrs.credit, m.credit || "", "photo-credit");
    this.alt = field(t.alt, "alt", m.alt || "", t.alt_help, "photo-alt", true);
    this.status = h("p", { class: "ed-photo-status", role: "status" });
    fields.append(this.caption.el, this.credit.el, this.alt.el, this.status);
    this.dom.appendChild(fields);
    this.dom.appendChild(this.removeButton());
    for (const f of [this.caption, this.credit]) {
      f.input.addEventListener("input", () => this.setAttr(f.input.getAttribute("data-f"), f.input.value));
    }
    this.alt.input.addEventListener("change", () => this.saveAlt());
    this.show();
  }

  show() {
    const m = mediaInfo(this.node.attrs.media_id);
    const t = ctx.t;
    if (m && m.thumb) {
      this.img.src = m.thumb;
      this.img.alt = m.alt || "";
    }
    this.dom.classList.toggle("ed-needs-alt", !(m && m.alt));
    this.status.textContent = m && m.alt ? "" : t.alt_missing;
  }

  async saveAlt() {
    const id = this.node.attrs.media_id;
    const m = mediaInfo(id) || { id };
    const alt = this.alt.input.value.trim();
    if (!alt) {
      this.show();
      return;
    }
    const body = new URLSearchParams();
    body.set("csrf", ctx.csrf);
    body.set("alt", alt);
    // A photo uploaded here takes this use's texts as its own while it has none; other
    // texts are left as they are on the server (a colleague may have changed them).
    if (m.fresh && !m.caption && this.caption.input.value) body.set("caption", this.caption.input.value);
    if (m.fresh && !m.credit && this.credit.input.value) body.set("credit", this.credit.input.value);
    this.status.textContent = ctx.t.saving;
    try {
      const saved = await fetchJson("/admin/photos/" + id, { method: "POST", body, headers: { Accept: "application/json", "X-CSRF-Token": ctx.csrf } });
      rememberMedia(Object.assign(m, saved));
      this.show();
      this.status.textContent = ctx.t.saved_alt;
    } catch (e) {
      this.status.textContent = e.message;
    }
  }

  update(node) {
    if (node.type !== this.node.type) return false;
    this.node = node;
    if (document.activeElement !== this.caption.input) this.caption.input.value = node.attrs.caption;
    if (document.activeElement !== this.credit.input) this.credit.input.value = node.attrs.credit;
    return true;
  }
}

export class EmbedView extends BlockView {
  constructor(node, view, getPos) {
    super(node, view, getPos);
    const t = ctx.t;
    const kind = embedKind(node.attrs.url) || t.link_card;
    this.dom = h("div", { class: "ed-embed", contenteditable: "false", "data-test": "body-embed" });
    this.dom.appendChild(h("span", { class: "ed-embed-kind" }, "▶ " + kind));
    this.dom.appendChild(h("a", { href: node.attrs.url, target: "_blank", rel: "noopener", class: "ed-embed-url" }, node.attrs.url));
    this.title = field(t.embed_title, "title", node.attrs.title, t.embed_title_help, "embed-title");
    this.dom.appendChild(this.title.el);
    this.title.input.addEventListener("input", () => this.setAttr("title", this.title.input.value));
    this.dom.appendChild(this.removeButton());
  }

  update(node) {
    if (node.type !== this.node.type || node.attrs.url !== this.node.attrs.url) return false;
    this.node = node;
    return true;
  }
}

// Puts a block (a photo, an embed) in place of an empty paragraph or at the selection,
// and the cursor in the paragraph after it (made when there is none), so writing goes on.
export function insertBlock(view, node) {
  const { $from } = view.state.selection;
  const tr = view.state.tr;
  if ($from.parent.type === schema.nodes.paragraph && $from.parent.content.size === 0 && $from.depth === 1) {
    tr.replaceWith($from.before(), $from.after(), node);
  } else {
    tr.replaceSelectionWith(node);
  }
  // Where it went (nodes keep their identity in the new document).
  let at = -1;
  tr.doc.forEach((child, offset) => {
    if (child === node) at = offset;
  });
  if (at >= 0) {
    const after = at + node.nodeSize;
    const next = tr.doc.nodeAt(after);
    if (!next || !next.isTextblock) tr.insert(after, schema.nodes.paragraph.create());
    tr.setSelection(TextSelection.create(tr.doc, after + 1));
  }
  view.dispatch(tr.scrollIntoView());
  view.focus();
}

// An embed block for `url`.
export function insertEmbed(view, url) {
  insertBlock(view, schema.nodes.embed.create({ url, title: "" }));
}
