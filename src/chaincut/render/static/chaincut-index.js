// chaincut report index: filter rows by text, verdict and category. No network, no eval.
// The filter state lives in the URL fragment (#q=...&verdict=...&category=...) so a
// filtered list can be bookmarked or shared.
(function () {
  "use strict";
  var q = document.getElementById("q");
  var verdict = document.getElementById("verdict");
  var category = document.getElementById("category");
  var shown = document.getElementById("shown");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#reports tbody tr"));
  var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });

  function fromHash() {
    var params = new URLSearchParams(window.location.hash.slice(1));
    q.value = params.get("q") || "";
    verdict.value = params.get("verdict") || "";
    category.value = params.get("category") || "";
  }

  function apply(save) {
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var n = 0;
    rows.forEach(function (row, i) {
      var ok = (!verdict.value || row.dataset.verdict === verdict.value) &&
        (!category.value || row.dataset.category === category.value) &&
        words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      row.classList.toggle("hidden", !ok);
      if (ok) { n += 1; }
    });
    shown.textContent = n + " shown";
    if (save) {
      var params = new URLSearchParams();
      if (q.value) { params.set("q", q.value); }
      if (verdict.value) { params.set("verdict", verdict.value); }
      if (category.value) { params.set("category", category.value); }
      history.replaceState(null, "", "#" + params.toString());
    }
  }

  [q, verdict, category].forEach(function (el) {
    el.addEventListener("input", function () { apply(true); });
  });
  window.addEventListener("hashchange", function () { fromHash(); apply(false); });
  fromHash();
  apply(false);
})();
