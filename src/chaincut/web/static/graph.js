/* The chain graph: Cytoscape.js (bundled under /static/vendor), fed by the API. */
(function () {
  "use strict";
  var box = document.getElementById("graph");
  if (!box || typeof cytoscape !== "function") { return; }
  var chain = box.getAttribute("data-chain");
  var style = [
    { selector: "node", style: { "label": "data(label)", "font-size": 9, "text-wrap": "ellipsis",
      "text-max-width": 120, "background-color": "#8a96a3", "width": 14, "height": 14, "color": "#1d232b" } },
    { selector: "node[type = 'artifact']", style: { "background-color": "#1559b0", "shape": "round-rectangle",
      "width": 22, "height": 22 } },
    { selector: "node[verdict = 'malicious']", style: { "border-width": 3, "border-color": "#b3261e" } },
    { selector: "node[?supplier]", style: { "background-color": "#b3261e" } },
    { selector: "node[type = 'case']", style: { "background-color": "#a15c00", "shape": "diamond" } },
    { selector: "edge", style: { "width": 1, "line-color": "#c3cad2", "curve-style": "haystack" } }
  ];
  function load() {
    var params = new URLSearchParams();
    ["role", "region", "since", "until"].forEach(function (name) {
      var el = document.getElementById("f-" + name);
      if (el && el.value) { params.set(name, el.value); }
    });
    var url = "/api/v1/chains/" + encodeURIComponent(chain) + "/graph?" + params.toString();
    fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    }).then(function (elements) {
      box.textContent = "";
      var cy = cytoscape({ container: box, elements: elements, style: style,
        layout: { name: "cose", animate: false, randomize: false }, wheelSensitivity: 0.3 });
      cy.on("tap", "node[type = 'artifact']", function (evt) {
        window.location.href = "/console/artifacts/" + evt.target.id().slice(2);
      });
      box.setAttribute("data-nodes", String(cy.nodes().length));
      window.chaincutGraph = cy;
    }).catch(function (err) { box.textContent = "graph unavailable: " + err.message; });
  }
  var form = document.getElementById("graph-filter");
  if (form) { form.addEventListener("submit", function (e) { e.preventDefault(); load(); }); }
  load();
})();
