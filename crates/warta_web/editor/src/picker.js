// The photo library as thumbnails, searchable, with an upload: used for the hero photo
// and to put a library photo into the body.
import { h, fetchJson } from "./dom.js";
import { upload, rememberMedia } from "./media.js";

export class Picker {
  constructor(t) {
    this.t = t;
    this.dialog = h("dialog", { class: "ed-picker", "aria-label": t.choose_photo, "data-test": "photo-picker" });
    const head = h("div", { class: "ed-picker-head" });
    this.title = h("h2", null, t.choose_photo);
    this.search = h("input", { type: "search", placeholder: t.search_photos, "aria-label": t.search_photos, "data-test": "picker-search" });
    const close = h("button", { type: "button", class: "quiet", "aria-label": t.close, "data-test": "picker-close" }, "✕");
    head.append(this.title, this.search, close);
    this.file = h("input", { type: "file", accept: "image/jpeg,image/png,image/webp", "data-test": "picker-file" });
    this.progress = h("span", { class: "ed-bar", hidden: true }, h("span", { class: "ed-bar-fill" }));
    this.message = h("p", { class: "ed-picker-msg", role: "status" });
    const up = h("label", { class: "ed-picker-upload" }, h("span", null, this.t.upload_new), this.file);
    this.grid = h("div", { class: "ed-grid", "data-test": "picker-grid" });
    this.more = h("button", { type: "button", class: "quiet", hidden: true }, t.more);
    this.dialog.append(head, h("div", { class: "ed-picker-bar" }, up, this.progress), this.message, this.grid, this.more);
    document.body.appendChild(this.dialog);
    close.addEventListener("click", () => this.dialog.close());
    let timer = null;
    this.search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.load(1, false), 200);
    });
    this.search.addEventListener("keydown", (e) => {
      if (e.key === "Enter") e.preventDefault();
    });
    this.more.addEventListener("click", () => this.load(this.page + 1, true));
    this.file.addEventListener("change", () => this.uploadChosen());
  }

  open(mode, onPick) {
    this.onPick = onPick;
    this.title.textContent = mode === "hero" ? this.t.choose_hero : this.t.insert_photo;
    this.message.textContent = "";
    this.dialog.showModal();
    this.search.focus();
    this.load(1, false);
  }

  async load(page, append) {
    const q = this.search.value.trim();
    let res;
    try {
      res = await fetchJson("/admin/photos.json?" + new URLSearchParams({ q, page: String(page) }));
    } catch (e) {
      this.message.textContent = e.message;
      return;
    }
    this.page = res.page;
    if (!append) this.grid.textContent = "";
    for (const m of res.items) {
      const b = h(
        "button",
        { type: "button", class: "ed-thumb", "data-test": "picker-item", "data-id": m.id, title: m.caption || m.alt },
        h("img", { src: m.thumb, alt: m.alt || "", loading: "lazy" }),
        h("span", null, m.caption || m.alt || ""),
      );
      b.addEventListener("click", () => this.pick(m));
      this.grid.appendChild(b);
    }
    if (!res.items.length && !append) this.grid.appendChild(h("p", { class: "help" }, this.t.no_photos));
    this.more.hidden = res.page >= res.last_page;
  }

  pick(m) {
    rememberMedia(m);
    this.dialog.close();
    if (this.onPick) this.onPick(m);
  }

  async uploadChosen() {
    const f = this.file.files && this.file.files[0];
    if (!f) return;
    this.progress.hidden = false;
    const fill = this.progress.querySelector(".ed-bar-fill");
    this.message.textContent = this.t.uploading + " " + f.name;
    try {
      const m = await upload(f, (x) => (fill.style.width = Math.round(x * 100) + "%"));
      this.file.value = "";
      this.progress.hidden = true;
      this.pick(m);
    } catch (e) {
      this.progress.hidden = true;
      this.message.textContent = e.message;
    }
  }
}
