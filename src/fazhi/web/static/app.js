// fazhi dashboard: charts from embedded JSON options, and the report page's fact/evidence links.
// No inline scripts anywhere (the pages' Content-Security-Policy forbids them).
(function () {
  "use strict";

  // -- charts: <div class="chart" data-option="ID"> + <script type="application/json" id="ID"> --------
  function drawCharts() {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll(".chart[data-option]").forEach(function (el) {
      var src = document.getElementById(el.dataset.option);
      if (!src) return;
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(JSON.parse(src.textContent));
      chart.on("click", function (p) {
        var url = p.data && p.data.url;
        if (!url) return;
        if (url.charAt(0) === "#") { location.hash = url; } else { location.href = url; }
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  // -- report page ---------------------------------------------------------------------------------
  var text = document.getElementById("text");
  var facts = [];
  var dataEl = document.getElementById("facts-data");
  if (dataEl) facts = JSON.parse(dataEl.textContent);

  function sentences() { return text ? text.querySelectorAll(".s") : []; }

  function clear() {
    document.querySelectorAll(".s.hl, mark.fact.active, a.ev.active, tr.active").forEach(function (el) {
      el.classList.remove("hl", "active");
    });
  }

  // Highlight every sentence overlapping [start, end) and scroll to the first; returns that sentence.
  function highlightRange(start, end) {
    var first = null;
    sentences().forEach(function (el) {
      var s = +el.id.slice(2), e = +el.dataset.e;
      if (el.id && s < Math.max(end, start + 1) && e > start) {
        el.classList.add("hl");
        if (!first) first = el;
      }
    });
    if (!first) {  // an offset between sentences: the nearest sentence before it
      sentences().forEach(function (el) { if (el.id && +el.id.slice(2) <= start) first = el; });
      if (first) first.classList.add("hl");
    }
    if (first) first.scrollIntoView({ block: "center", behavior: "auto" });
    return first;
  }

  function showFact(i, scroll) {
    var f = facts[i];
    if (!f) return;
    clear();
    highlightRange(f.start, f.end);
    var mark = document.getElementById("f-" + f.start);
    if (mark) {
      mark.classList.add("active");
      if (scroll) mark.scrollIntoView({ block: "center", behavior: "auto" });
    }
    var row = document.getElementById("fr-" + i);
    if (row) row.classList.add("active");
    var panel = document.getElementById("fact-panel");
    if (panel) {
      panel.hidden = false;
      panel.querySelectorAll("[data-k]").forEach(function (el) {
        var v = f[el.dataset.k];
        el.textContent = v === null || v === undefined ? "" : String(v);
        if (el.dataset.href) {
          if (f[el.dataset.href]) el.setAttribute("href", "/indicators/" + encodeURIComponent(f[el.dataset.href]));
          else el.removeAttribute("href");
        }
      });
    }
  }

  function factIndexAt(start) {
    for (var i = 0; i < facts.length; i++) if (facts[i].start === start) return i;
    return -1;
  }

  function fromHash() {
    var h = decodeURIComponent(location.hash.slice(1));
    var m = /^(s|f|o)-(\d+)$/.exec(h);
    if (!text || !m) return;
    var n = +m[2];
    if (m[1] === "f" && factIndexAt(n) >= 0) { showFact(factIndexAt(n), true); return; }
    clear();
    var el = m[1] === "s" ? document.getElementById(h) : null;
    highlightRange(n, el ? +el.dataset.e : n + 1);
  }

  if (text) {
    document.addEventListener("click", function (ev) {
      var t = ev.target.closest("mark.fact, a.fact-link, a.ev, a.jump");
      if (!t) return;
      ev.preventDefault();
      if (t.dataset.fact !== undefined) {
        showFact(+t.dataset.fact, !t.matches("mark.fact"));
        history.replaceState(null, "", "#f-" + facts[+t.dataset.fact].start);
        return;
      }
      clear();
      t.classList.add("active");
      var start = +t.dataset.start;
      // evidence: every sentence of its span; a part of the outline: its heading only
      var first = highlightRange(start, t.matches("a.jump") ? start + 1 : +t.dataset.end);
      if (first) history.replaceState(null, "", "#" + first.id);
    });
    text.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && ev.target.matches("mark.fact")) showFact(+ev.target.dataset.fact, false);
    });
    window.addEventListener("hashchange", fromHash);
  }

  drawCharts();
  fromHash();
})();
