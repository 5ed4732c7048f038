/* Leaflet maps of the assessment: the partnership's own LSOA boundaries, shaded by count,
 * Gi* hot spots outlined. Reads GeoJSON and values from JSON data blocks; map tiles are
 * used only when the site sets a tile URL (the map works without them). */
(function () {
  "use strict";
  if (typeof L === "undefined") return;
  var geo = document.getElementById("assessment-geojson");
  var vals = document.getElementById("assessment-map-values");
  if (!geo || !vals) return;
  var geojson = JSON.parse(geo.textContent);
  var values = JSON.parse(vals.textContent);
  var settings = document.getElementById("assessment-map-settings");
  var tiles = settings ? settings.getAttribute("data-tiles-url") : "";
  var shades = ["#f3f2f1", "#c6dbef", "#6baed6", "#2171b5", "#08306b"];

  function breaks(counts) {
    var sorted = counts.slice().sort(function (a, b) { return a - b; });
    var n = sorted.length;
    return [0.2, 0.4, 0.6, 0.8].map(function (q) { return sorted[Math.min(n - 1, Math.floor(n * q))] || 0; });
  }
  function shadeOf(count, b) {
    if (count <= 0) return 0;
    for (var i = 1; i < 4; i++) { if (count <= b[i]) return i; }
    return 4;
  }
  document.querySelectorAll(".saferhub-map[data-theme]").forEach(function (el) {
    var theme = values[el.getAttribute("data-theme")] || {};
    var counts = Object.keys(theme).map(function (k) { return theme[k][0]; });
    var b = breaks(counts);
    var map = L.map(el, { scrollWheelZoom: false, attributionControl: true, zoomSnap: 0.25 });
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18, attribution: "Map tiles as configured" }).addTo(map);
    }
    var layer = L.geoJSON(geojson, {
      style: function (feature) {
        var v = theme[feature.properties.lsoa] || [0, ""];
        var hot = String(v[1]).indexOf("hot") === 0;
        return {
          fillColor: shades[shadeOf(v[0], b)], fillOpacity: tiles ? 0.7 : 1,
          color: hot ? "#d4351c" : "#ffffff", weight: hot ? 3 : 0.6
        };
      },
      onEachFeature: function (feature, lyr) {
        var v = theme[feature.properties.lsoa] || [0, ""];
        var text = feature.properties.name + " (" + feature.properties.ward + "): " + v[0] + " records; " + v[1];
        lyr.bindTooltip(text);
        lyr.bindPopup(text);
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds());
    map.attributionControl.addAttribution("Contains public sector information licensed under the Open Government Licence v3.0; boundaries: ONS, OS data © Crown copyright");
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "saferhub-map-legend");
      var labels = ["0", "1–" + b[1], (b[1] + 1) + "–" + b[2], (b[2] + 1) + "–" + b[3], "over " + b[3]];
      labels.forEach(function (label, i) {
        var row = document.createElement("div");
        var swatch = document.createElement("span");
        swatch.style.background = shades[i];
        row.appendChild(swatch);
        row.appendChild(document.createTextNode(label));
        div.appendChild(row);
      });
      var hot = document.createElement("div");
      var sw = document.createElement("span");
      sw.className = "saferhub-hot";
      hot.appendChild(sw);
      hot.appendChild(document.createTextNode("Gi* hot spot"));
      div.appendChild(hot);
      return div;
    };
    legend.addTo(map);
  });
})();
