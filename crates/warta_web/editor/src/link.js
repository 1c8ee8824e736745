// Links: an address checked as it is typed, or a story of this site found by its
// words; and the address of an embed.
import { TextSelection } from "prosemirror-state";
import { schema, checkUrl, embedKind } from "./schema.js";
import { h, fetchJson } from "./dom.js";
import { insertEmbed } from "./media.js";

export class LinkPopover {
  constructor(t, getView) {
    this.t = t;
    this.getView = getView;
    this.dialog = h("dialog", { class: "ed-link", "data-test": "link-dialog" });
    this.heading = h("h2", null, t.link);
    this.input = h("input", { type: "text", "aria-label": t.link_prompt, placeholder: t.link_prompt, "data-test": "link-input", autocomplete: "off" });
    this.message = h("p", { class: "ed-link-msg", role: "status", "data-test": "link-message" });
    this.results = h("ul", { class: "ed-results", "data-test": "link-results" });
    this.apply = h("button", { type: "button", "data-test": "link-apply" }, t.apply);
    this.unlink = h("button", { type: "button", class: "quiet", "data-test": "link-remove" }, t.remove_link);
    const cancel = h("button", { type: "button", class: "quiet" }, t.cancel);
    this.dialog.append(this.heading, this.input, this.message, this.results, h("div", { class: "ed-link-actions" }, this.apply, this.unlink, cancel));
    document.body.appendChild(this.dialog);
    cancel.addEventListener("click", () => this.close());
    this.apply.addEventListener("click", () => this.done());
    this.dialog.addEventListener("submit", (e) => e.preventDefault());
    this.unlink.addEventListener("click", () => this.removeLink());
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        this.done();
      }
      if (e.key === "ArrowDown") {
        const first = this.results.querySelector("button");
        if (first) {
          e.preventDefault();
          first.focus();
        }
      }
    });
    let timer = null;
    this.input.addEventListener("input", () => {
      clearTimeout(timer);
      this.check();
      if (this.mode === "link") timer = setTimeout(() => this.searchStories(), 200);
    });
    this.dialog.addEventListener("close", () => {
      const v = this.getView();
      if (v) v.focus();
    });
  }

  // The link at the selection, if any: its range and address.
  current() {
    const v = this.getView();
    const { $from, from, to, empty } = v.state.selection;
    const type = schema.marks.link;
    const mark = type.isInSet($from.marks()) || (!empty && v.state.doc.rangeHasMark(from, to, type) ? v.state.doc.nodeAt(from) && type.isInSet(v.state.doc.nodeAt(from).marks) : null);
    if (!mark) return null;
    // Grow to the whole link around the cursor.
    let start = from;
    let end = to;
    const parent = $from.parent;
    const base = $from.start();
    parent.forEach((child, offset) => {
      const s = base + offset;
      const e = s + child.nodeSize;
      if (mark.isInSet(child.marks) && e >= from && s <= to) {
        start = Math.min(start, s);
        end = Math.max(end, e);
      }
    });
    return { mark, from: start, to: end };
  }

  open() {
    this.mode = "link";
    const cur = this.current();
    this.range = cur;
    this.heading.textContent = this.t.link;
    this.input.placeholder = this.t.link_prompt;
    this.input.value = cur ? cur.mark.attrs.href : "";
    this.unlink.hidden = !cur;
    this.results.textContent = "";
    this.message.textContent = "";
    this.dialog.showModal();
    this.input.focus();
    this.input.select();
  }

  openEmbed() {
    this.mode = "embed";
    this.heading.textContent = this.t.insert_embed;
    this.input.placeholder = this.t.embed_prompt;
    this.input.value = "";
    this.unlink.hidden = true;
    this.results.textContent = "";
    this.message.textContent = this.t.embed_help;
    this.dialog.showModal();
    this.input.focus();
  }

  close() {
    this.dialog.close();
  }

  check() {
    const raw = this.input.value.trim();
    if (!raw) {
      this.message.textContent = this.mode === "embed" ? this.t.embed_help : "";
      return null;
    }
    const url = checkUrl(raw);
    const looksLikeUrl = /^[a-z][a-z0-9+.-]*:|^\/|^www\.|^[^\s]+\.[a-z]{2,}(\/|$)/i.test(raw);
    if (!url) {
      this.message.textContent = looksLikeUrl || this.mode === "embed" ? this.t.bad_url : this.t.link_search_help;
      return null;
    }
    this.message.textContent = this.mode === "embed" ? (embedKind(url) || this.t.link_card) : "→ " + url;
    return url;
  }

  async searchStories() {
    const q = this.input.value.trim();
    if (q.length < 3 || checkUrl(q)) {
      this.results.textContent = "";
      return;
    }
    let items = [];
    try {
      items = await fetchJson("/admin/articles.json?" + new URLSearchParams({ q }));
    } catch (e) {
      this.message.textContent = e.message;
      return;
    }
    if (this.input.value.trim() !== q) return;
    this.results.textContent = "";
    for (const it of items) {
      const b = h("button", { type: "button", "data-test": "link-result", "data-url": it.url }, h("strong", null, it.headline), h("span", null, " · " + it.when));
      b.addEventListener("click", () => {
        this.input.value = it.url;
        this.done(it.headline);
      });
      this.results.appendChild(h("li", null, b));
    }
    if (!items.length) this.results.appendChild(h("li", { class: "help" }, this.t.no_stories));
  }

  // Applies the address; `label` is the text a link gets when nothing was selected
  // (a story's headline; else the address itself).
  done(label) {
    const url = this.check();
    if (!url) {
      this.message.textContent = this.t.bad_url;
      return;
    }
    const v = this.getView();
    if (this.mode === "embed") {
      this.close();
      insertEmbed(v, url);
      return;
    }
    const type = schema.marks.link;
    const { from, to, empty } = v.state.selection;
    let tr = v.state.tr;
    if (this.range) {
      tr = tr.removeMark(this.range.from, this.range.to, type).addMark(this.range.from, this.range.to, type.create({ href: url }));
    } else if (!empty) {
      tr = tr.addMark(from, to, type.create({ href: url }));
    } else {
      // Nothing selected: the story's headline (or the address) becomes the text.
      const text = typeof label === "string" && label ? label : url;
      tr = tr.insert(from, schema.text(text, [type.create({ href: url })]));
      tr = tr.setSelection(TextSelection.create(tr.doc, from + text.length));
    }
    v.dispatch(tr.scrollIntoView());
    this.close();
  }

  removeLink() {
    const v = this.getView();
    if (this.range) v.dispatch(v.state.tr.removeMark(this.range.from, this.range.to, schema.marks.link));
    this.close();
  }
}
