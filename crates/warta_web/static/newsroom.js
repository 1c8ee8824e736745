/* The newsroom's progressive enhancements: drafts save themselves, tags complete as
   they are typed, suggested tags are added with a click, Ctrl/Cmd+S saves, leaving
   with unsaved changes asks first, the headline's length is counted. Every page works
   without. */
(function () {
  "use strict";
  // With script, photos are chosen from thumbnails: their numbers (for the markup of
  // the no-script editor) are hidden.
  document.documentElement.classList.add("js");
  var form = document.querySelector("form[data-autosave]");
  var editor = document.querySelector("form[data-test=editor]");
  var tags = document.getElementById("tags");
  // Typed since the last save (a real one, or an autosave that took it all).
  var unsaved = false;

  if (editor) {
    var leaving = false;
    editor.addEventListener("input", function () { unsaved = true; });
    editor.addEventListener("submit", function (e) {
      // A preview opens another tab: this one stays, with its changes.
      if (!(e.submitter && e.submitter.hasAttribute("formtarget"))) leaving = true;
    });
    window.addEventListener("beforeunload", function (e) {
      if (unsaved && !leaving) { e.preventDefault(); e.returnValue = ""; }
    });
    document.addEventListener("keydown", function (e) {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && (e.key === "s" || e.key === "S")) {
        e.preventDefault();
        var save = editor.querySelector("[data-test=save]");
        if (!save) return;
        if (editor.requestSubmit) editor.requestSubmit(save); else save.click();
      }
    });
    var headline = document.getElementById("headline");
    var hint = document.querySelector("[data-headline-hint]");
    if (headline && hint) {
      var count = function () {
        var n = Array.from(headline.value.trim()).length;
        var long = n > Number(hint.getAttribute("data-max"));
        hint.textContent = hint.getAttribute(long ? "data-long" : "data-ok").replace("{n}", n);
        hint.classList.toggle("warn", long);
      };
      headline.addEventListener("input", count);
      count();
    }
    // The address follows the headline while its box is ticked; typing one unticks it.
    var slug = document.getElementById("slug");
    var follows = editor.querySelector("input[name=slug_follows]");
    if (headline && slug && follows) {
      headline.addEventListener("input", function () {
        if (follows.checked) slug.value = slugify(headline.value) || "berita";
      });
      slug.addEventListener("input", function () { follows.checked = false; });
      follows.addEventListener("change", function () {
        if (follows.checked) slug.value = slugify(headline.value) || "berita";
      });
    }
    // What search results and shared cards will show, redrawn as it is typed (the
    // server's cuts: `admin/seo.rs`).
    var seoTitle = document.getElementById("seo_title");
    var seoDesc = document.getElementById("seo_description");
    var lede = document.getElementById("lede");
    if (headline && seoTitle && seoDesc && lede) {
      var cut = function (text, max) {
        var chars = Array.from(text);
        if (chars.length <= max) return text;
        var head = chars.slice(0, max).join("");
        var at = head.lastIndexOf(" ");
        if (at <= Math.floor(max / 2)) at = head.length;
        return head.slice(0, at).replace(/\s+$/, "") + "\u2026";
      };
      var show = function (sel, text) {
        editor.querySelectorAll(sel).forEach(function (el) {
          el.textContent = text + (el.getAttribute("data-suffix") || "");
        });
      };
      var redraw = function () {
        var title = seoTitle.value.trim() || headline.value.trim();
        var desc = seoDesc.value.trim() || lede.value.trim();
        seoTitle.placeholder = headline.value;
        seoDesc.placeholder = lede.value;
        [["title", title], ["description", desc]].forEach(function (p) {
          var count = editor.querySelector("[data-seo-count=" + p[0] + "]");
          if (!count) return;
          var max = Number(count.getAttribute("data-max"));
          var n = Array.from(p[1]).length;
          count.textContent = count.getAttribute("data-form").replace("{n}", n).replace("{max}", max);
          count.classList.toggle("warn", n > max);
          show("[data-seo=" + p[0] + "]", cut(p[1], max));
          show("[data-seo=card-" + p[0] + "]", cut(p[1], max));
        });
        var trail = editor.querySelector("[data-seo-trail]");
        var sec = document.getElementById("section");
        if (trail && sec) trail.textContent = trail.getAttribute("data-seo-trail") + " \u203a " + sec.value;
      };
      [headline, lede, seoTitle, seoDesc].forEach(function (el) { el.addEventListener("input", redraw); });
      var secSel = document.getElementById("section");
      if (secSel) secSel.addEventListener("change", redraw);
      redraw();
    }
    // The section is part of the address shown before the slug.
    var section = document.getElementById("section");
    var prefix = editor.querySelector("[data-test=slug-prefix]");
    if (section && prefix) {
      section.addEventListener("change", function () {
        prefix.textContent = prefix.textContent.replace(/^\/[^/]*\//, "/" + section.value + "/");
      });
    }
  }

  // The server's `warta_core::slug::slugify`, letter for letter (the server decides:
  // this only shows what it will make).
  var FOLD = { "ß": "ss", "ç": "c", "ñ": "n" };
  "àáâãäå".split("").forEach(function (c) { FOLD[c] = "a"; });
  "èéêë".split("").forEach(function (c) { FOLD[c] = "e"; });
  "ìíîï".split("").forEach(function (c) { FOLD[c] = "i"; });
  "òóôõö".split("").forEach(function (c) { FOLD[c] = "o"; });
  "ùúûü".split("").forEach(function (c) { FOLD[c] = "u"; });
  function slugify(text) {
    var out = "", dash = false;
    Array.from(text).forEach(function (c) {
      var l = c.length === 1 && c < "\u0080" ? c.toLowerCase() : c;
      var f = /^[a-z0-9]$/.test(l) ? l : (FOLD[c] || FOLD[c.toLowerCase()]);
      if (f) {
        if (dash && out) out += "-";
        dash = false;
        out += f;
      } else if (c !== "'" && c !== "\u2019") {
        dash = true;
      }
    });
    if (out.length > 80) {
      var cut = out.slice(0, 80).lastIndexOf("-");
      out = out.slice(0, cut < 0 ? 80 : cut);
    }
    return out;
  }

  // Leaving the newsroom: this browser forgets the texts it kept for the account.
  document.querySelectorAll("form[action='/admin/logout']").forEach(function (f) {
    f.addEventListener("submit", function () {
      try {
        Object.keys(localStorage).forEach(function (k) {
          if (k.indexOf("warta:edit:") === 0) localStorage.removeItem(k);
        });
      } catch (e) { /* storage refused: nothing kept */ }
    });
  });

  function addTag(line) {
    if (!tags || !line) return;
    var have = tags.value.split("\n").map(function (l) { return l.trim().toLowerCase(); });
    if (have.indexOf(line.trim().toLowerCase()) >= 0) return;
    tags.value = (tags.value.replace(/\s+$/, "") + "\n" + line).replace(/^\n/, "");
    tags.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.querySelectorAll("button[data-tag]").forEach(function (b) {
    b.addEventListener("click", function () { addTag(b.getAttribute("data-tag")); b.disabled = true; });
  });

  var search = document.getElementById("tag-search");
  var list = document.getElementById("tag-options");
  var add = document.getElementById("tag-add");
  if (search && list) {
    var timer = null;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = search.value.replace(/^[^:]*:\s*/, "").trim();
        if (!q) return;
        fetch("/admin/tags?q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (items) {
            list.innerHTML = "";
            items.forEach(function (t) { var o = document.createElement("option"); o.value = t; list.appendChild(o); });
          });
      }, 150);
    });
    var take = function () { addTag(search.value.trim()); search.value = ""; };
    if (add) add.addEventListener("click", take);
    search.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); take(); } });
  }

  if (!form) return;
  var status = document.querySelector("[data-autosave-status]");
  var say = function (key, extra) {
    if (!status) return;
    status.textContent = status.getAttribute(key) + (extra ? " " + extra : "");
    status.classList.toggle("warn", key === "data-offline");
  };
  // A copy in this browser of what could not reach the server, per editor address.
  // Per account too: a shared newsroom computer never offers one person's text to another.
  var keyOf = function () {
    return "warta:edit:" + (form.getAttribute("data-account") || "") + ":" + form.getAttribute("action");
  };
  var local = {
    keep: function () {
      try {
        var fields = [];
        new FormData(form).forEach(function (v, k) { if (k !== "csrf" && typeof v === "string") fields.push([k, v]); });
        localStorage.setItem(keyOf(), JSON.stringify({ at: Date.now(), fields: fields }));
      } catch (e) { /* storage full or refused: nothing more to do */ }
    },
    read: function () {
      try { return JSON.parse(localStorage.getItem(keyOf()) || "null"); } catch (e) { return null; }
    },
    drop: function () { try { localStorage.removeItem(keyOf()); } catch (e) { /* ignore */ } },
  };
  // Saved for real: the copy is not needed any more.
  if (/[?&]saved=/.test(location.search)) local.drop();
  var copy = local.read();
  if (copy && status) {
    var box = document.createElement("div");
    box.className = "offline";
    box.setAttribute("data-test", "offline-copy");
    var p = document.createElement("p");
    p.textContent = status.getAttribute("data-found").replace("{when}", new Date(copy.at).toLocaleString(document.documentElement.lang || undefined, { dateStyle: "medium", timeStyle: "short" }));
    var restore = document.createElement("button");
    restore.type = "button";
    restore.textContent = status.getAttribute("data-restore");
    restore.setAttribute("data-test", "offline-restore");
    var drop = document.createElement("button");
    drop.type = "button";
    drop.textContent = status.getAttribute("data-drop");
    box.append(p, restore, drop);
    form.parentNode.insertBefore(box, form);
    drop.addEventListener("click", function () { local.drop(); box.remove(); });
    restore.addEventListener("click", function () {
      copy.fields.forEach(function (kv) {
        var name = kv[0], value = kv[1];
        if (name === "body_doc") {
          var v = window.wartaEditor;
          if (!v) return;
          try {
            var doc = v.state.schema.nodeFromJSON(JSON.parse(value));
            v.dispatch(v.state.tr.replaceWith(0, v.state.doc.content.size, doc.content));
          } catch (e) { /* a copy the editor cannot read stays in storage */ }
          return;
        }
        // The version the copy was based on comes back too: saving it then merges with
        // whatever was saved since, instead of writing over it.
        var kept = ["hero", "base", "seen"];
        form.querySelectorAll("[name='" + CSS.escape(name) + "']").forEach(function (el) {
          if (el.type === "checkbox" || el.type === "radio") el.checked = el.value === value;
          else if (el.type !== "hidden" || kept.indexOf(name) >= 0) el.value = value;
        });
      });
      ["headline", "lede", "seo_title", "seo_description", "slug"].forEach(function (id) {
        var el = document.getElementById(id);
        if (el) el.dispatchEvent(new Event("input", { bubbles: true }));
      });
      unsaved = true;
      dirty = true;
      box.remove();
    });
  }
  var dirty = false, busy = false;
  form.addEventListener("input", function () { dirty = true; });
  function failed() {
    busy = false;
    dirty = true;
    local.keep();
    say("data-offline");
  }
  function save() {
    if (!dirty || busy) return;
    busy = true; dirty = false;
    var data = new URLSearchParams(new FormData(form));
    data.set("action", "save");
    fetch(form.getAttribute("data-autosave"), {
      method: "POST", credentials: "same-origin", body: data, redirect: "error",
      headers: { "X-CSRF-Token": form.getAttribute("data-csrf"), "X-Autosave": "1", "Accept": "application/json" }
    }).then(function (r) {
      return r.text().then(function (text) {
        var j = null;
        try { j = JSON.parse(text); } catch (e) { /* a page, not an answer for the script */ }
        return { ok: r.ok, status: r.status, body: j || {}, json: j !== null };
      });
    }).then(function (res) {
      busy = false;
      var at = new Date().toLocaleTimeString().slice(0, 5);
      if (res.ok && res.body.pending) {
        // A live story: kept aside as this account's edit, not put live.
        say("data-pending", at);
        local.drop();
        if (!dirty) unsaved = false;
      } else if (res.ok && res.body.id) {
        form.querySelector("input[name=base]").value = res.body.base;
        var edit = "/admin/articles/" + res.body.id;
        if (form.getAttribute("action") !== edit) {
          local.drop();
          form.setAttribute("action", edit);
          form.setAttribute("data-autosave", edit + "/autosave");
          history.replaceState(null, "", edit);
        }
        say("data-done", at);
        local.drop();
        if (!dirty) unsaved = false;
      } else if (res.status === 403) {
        // No longer allowed to edit it: said, kept here, not tried again.
        local.keep();
        if (status) status.textContent = res.body.error || ("HTTP " + res.status);
        clearInterval(every);
      } else if (res.status === 409 || res.status === 422) {
        // The server read it and said no: say why (the text stays on the page).
        dirty = true;
        if (status) status.textContent = res.body.error || ("HTTP " + res.status);
        if (res.status === 409) clearInterval(every);
      } else {
        failed();
      }
    }).catch(failed);
  }
  var every = setInterval(save, 10000);
  window.addEventListener("online", save);
  // A real save ends autosaving; a preview in another tab does not.
  form.addEventListener("submit", function (e) {
    if (!(e.submitter && e.submitter.hasAttribute("formtarget"))) clearInterval(every);
  });
})();

/* The front page's section order (issue #29): drag a section, or use its arrows; the
   position fields (which work without script) are renumbered to match. */
(function () {
  var list = document.querySelector("[data-test=section-order]");
  if (!list) return;
  function renumber() {
    var items = list.querySelectorAll("li");
    for (var i = 0; i < items.length; i++) items[i].querySelector("input").value = i + 1;
  }
  var dragged = null;
  list.querySelectorAll("li").forEach(function (li) {
    li.querySelectorAll("button").forEach(function (b) { b.hidden = false; });
    li.querySelector(".up").addEventListener("click", function () {
      if (li.previousElementSibling) list.insertBefore(li, li.previousElementSibling);
      renumber();
      this.focus();
    });
    li.querySelector(".down").addEventListener("click", function () {
      if (li.nextElementSibling) list.insertBefore(li.nextElementSibling, li);
      renumber();
      this.focus();
    });
    li.addEventListener("dragstart", function (e) {
      dragged = li;
      li.classList.add("dragging");
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", li.getAttribute("data-name") || "");
    });
    li.addEventListener("dragend", function () {
      li.classList.remove("dragging");
      dragged = null;
      renumber();
    });
    li.addEventListener("dragover", function (e) {
      if (!dragged || dragged === li) return;
      e.preventDefault();
      var box = li.getBoundingClientRect();
      var after = e.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? li.nextElementSibling : li);
    });
    li.addEventListener("drop", function (e) { e.preventDefault(); renumber(); });
  });
})();

/* A photo's focal point (issue #30): a click on the photo sets the point that crops
   keep in view; the dot and the 16:9 preview follow, and so do the two number fields
   (which work without script). */
(function () {
  document.querySelectorAll("[data-test=library-item]").forEach(function (fig) {
    var pick = fig.querySelector(".focus-pick");
    var dot = fig.querySelector(".focus-dot");
    var crop = fig.querySelector("[data-test=crop-preview]");
    var fx = fig.querySelector("[data-test=focus-x]");
    var fy = fig.querySelector("[data-test=focus-y]");
    if (!pick || !dot || !fx || !fy) return;
    function show() {
      var x = Math.max(0, Math.min(100, Number(fx.value) || 0));
      var y = Math.max(0, Math.min(100, Number(fy.value) || 0));
      dot.hidden = false;
      dot.style.left = x + "%";
      dot.style.top = y + "%";
      if (crop) crop.style.objectPosition = x + "% " + y + "%";
    }
    pick.addEventListener("click", function (e) {
      var box = pick.getBoundingClientRect();
      fx.value = Math.round(((e.clientX - box.left) / box.width) * 100);
      fy.value = Math.round(((e.clientY - box.top) / box.height) * 100);
      show();
    });
    fx.addEventListener("input", show);
    fy.addEventListener("input", show);
    show();
  });
})();
