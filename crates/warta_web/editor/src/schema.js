// The editor's schema. It mirrors `warta_core::doc` (the table in that module's
// comment): the document `toJSON()` gives is what the server reads into blocks.
import { Fragment, Schema } from "prosemirror-model";

const intAttr = (dom, name) => {
  const n = parseInt(dom.getAttribute(name) || "0", 10);
  return Number.isFinite(n) ? n : 0;
};

// Texts the document shows itself (set from the page's texts before the editor starts).
export const placeholders = { cite: "" };

export const schema = new Schema({
  nodes: {
    doc: { content: "block+" },
    paragraph: {
      group: "block",
      content: "inline*",
      parseDOM: [{ tag: "p" }],
      toDOM: () => ["p", 0],
    },
    heading: {
      group: "block",
      content: "text*",
      marks: "",
      defining: true,
      parseDOM: [1, 2, 3, 4, 5, 6].map((l) => ({ tag: "h" + l })),
      toDOM: () => ["h2", 0],
    },
    quote: {
      group: "block",
      content: "quote_text quote_cite",
      defining: true,
      isolating: true,
      parseDOM: [
        {
          tag: "blockquote",
          getContent: (orig, s) => {
            const dom = orig.cloneNode(true);
            const cite = dom.querySelector("footer, cite");
            const citeText = cite ? cite.textContent.trim() : "";
            if (cite) cite.remove();
            const parts = [];
            Array.from(dom.querySelectorAll("p")).map((p) => p.textContent)
              .concat(dom.querySelector("p") ? [] : [dom.textContent])
              .join("\n")
              .split("\n")
              .map((l) => l.trim())
              .filter((l) => l)
              .forEach((l, i) => {
                if (i > 0) parts.push(s.nodes.hard_break.create());
                parts.push(s.text(l));
              });
            return Fragment.from([
              s.nodes.quote_text.create(null, parts),
              s.nodes.quote_cite.create(null, citeText ? s.text(citeText) : null),
            ]);
          },
        },
      ],
      toDOM: () => ["blockquote", { class: "ed-quote" }, 0],
    },
    quote_text: {
      content: "(text | hard_break)*",
      marks: "",
      toDOM: () => ["p", { class: "ed-quote-text" }, 0],
    },
    quote_cite: {
      content: "text*",
      marks: "",
      toDOM: () => ["footer", { class: "ed-quote-cite", "data-placeholder": placeholders.cite }, 0],
    },
    bullet_list: {
      group: "block",
      content: "list_item+",
      parseDOM: [{ tag: "ul" }],
      toDOM: () => ["ul", 0],
    },
    ordered_list: {
      group: "block",
      content: "list_item+",
      parseDOM: [{ tag: "ol" }],
      toDOM: () => ["ol", 0],
    },
    list_item: {
      content: "paragraph",
      defining: true,
      parseDOM: [{ tag: "li" }],
      toDOM: () => ["li", 0],
    },
    photo: {
      group: "block",
      atom: true,
      draggable: true,
      selectable: true,
      attrs: { media_id: { default: 0 }, caption: { default: "" }, credit: { default: "" } },
      parseDOM: [
        {
          tag: "figure[data-media-id]",
          getAttrs: (dom) => ({
            media_id: intAttr(dom, "data-media-id"),
            caption: dom.getAttribute("data-caption") || "",
            credit: dom.getAttribute("data-credit") || "",
          }),
        },
      ],
      toDOM: (n) => [
        "figure",
        {
          "data-media-id": String(n.attrs.media_id),
          "data-caption": n.attrs.caption,
          "data-credit": n.attrs.credit,
        },
      ],
    },
    embed: {
      group: "block",
      atom: true,
      draggable: true,
      selectable: true,
      attrs: { url: { default: "" }, title: { default: "" } },
      parseDOM: [
        {
          tag: "div[data-embed]",
          getAttrs: (dom) => ({
            url: dom.getAttribute("data-embed") || "",
            title: dom.getAttribute("data-title") || "",
          }),
        },
      ],
      toDOM: (n) => ["div", { "data-embed": n.attrs.url, "data-title": n.attrs.title }],
    },
    text: { group: "inline" },
    hard_break: {
      inline: true,
      group: "inline",
      selectable: false,
      parseDOM: [{ tag: "br" }],
      toDOM: () => ["br"],
    },
  },
  marks: {
    link: {
      attrs: { href: {} },
      inclusive: false,
      parseDOM: [{ tag: "a[href]", getAttrs: (dom) => ({ href: dom.getAttribute("href") }) }],
      toDOM: (m) => ["a", { href: m.attrs.href, rel: "noopener", title: m.attrs.href }, 0],
    },
    bold: {
      parseDOM: [
        { tag: "b" },
        { tag: "strong" },
        { style: "font-weight", getAttrs: (v) => /^(bold(er)?|[5-9]\d{2,})$/.test(v) && null },
      ],
      toDOM: () => ["b", 0],
    },
    italic: {
      parseDOM: [{ tag: "i" }, { tag: "em" }, { style: "font-style=italic" }],
      toDOM: () => ["i", 0],
    },
    sub: { excludes: "sup", parseDOM: [{ tag: "sub" }], toDOM: () => ["sub", 0] },
    sup: { excludes: "sub", parseDOM: [{ tag: "sup" }], toDOM: () => ["sup", 0] },
  },
});

// Addresses a link may have: http(s), mailto, or a path on this site.
export function checkUrl(raw) {
  let u = (raw || "").trim();
  if (!u) return null;
  if (u.startsWith("/") && !u.startsWith("//")) return u;
  if (/^mailto:[^\s@]+@[^\s@]+$/i.test(u)) return u;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(u)) u = "https://" + u;
  let parsed;
  try {
    parsed = new URL(u);
  } catch (e) {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  if (!parsed.hostname || !parsed.hostname.includes(".")) return null;
  // As the URL standard writes it: spaces and the like percent-encoded (the server
  // refuses an address with whitespace in it).
  return parsed.href;
}

// The third parties whose addresses become an embed when pasted alone.
export function embedKind(url) {
  let h;
  try {
    h = new URL(url).hostname.replace(/^www\.|^m\./, "");
  } catch (e) {
    return null;
  }
  if (h === "youtube.com" || h === "youtu.be" || h === "youtube-nocookie.com") return "YouTube";
  if (h === "x.com" || h === "twitter.com") return "X";
  if (h === "instagram.com") return "Instagram";
  return null;
}
