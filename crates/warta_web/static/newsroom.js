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
  }

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
  var dirty = false, busy = false;
  form.addEventListener("input", function () { dirty = true; });
  function save() {
    if (!dirty || busy) return;
    busy = true; dirty = false;
    var data = new URLSearchParams(new FormData(form));
    data.set("action", "save");
    fetch(form.getAttribute("data-autosave"), {
      method: "POST", credentials: "same-origin", body: data,
      headers: { "X-CSRF-Token": form.getAttribute("data-csrf"), "X-Autosave": "1" }
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, status: r.status, body: j }; });
    }).then(function (res) {
      busy = false;
      if (res.ok && res.body.id) {
        form.querySelector("input[name=base]").value = res.body.base;
        var edit = "/admin/articles/" + res.body.id;
        if (form.getAttribute("action") !== edit) {
          form.setAttribute("action", edit);
          form.setAttribute("data-autosave", edit + "/autosave");
          history.replaceState(null, "", edit);
        }
        if (status) status.textContent = status.getAttribute("data-done") + " " + new Date().toLocaleTimeString().slice(0, 5);
        if (!dirty) unsaved = false;
      } else {
        dirty = true;
        if (status) status.textContent = res.body.error || ("HTTP " + res.status);
        if (res.status === 409) clearInterval(every);
      }
    }).catch(function () { busy = false; dirty = true; });
  }
  var every = setInterval(save, 10000);
  // A real save ends autosaving; a preview in another tab does not.
  form.addEventListener("submit", function (e) {
    if (!(e.submitter && e.submitter.hasAttribute("formtarget"))) clearInterval(every);
  });
})();
