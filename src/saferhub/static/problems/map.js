/* The map of a problem's place: its shape from a JSON data block, no tiles needed. */
(function () {
  "use strict";
  if (typeof L === "undefined") return;
  var el = document.getElementById("problem-map");
  var data = document.getElementById("problem-geojson");
  if (!el || !data) return;
  var geojson = JSON.parse(data.textContent);
  if (!geojson.features || !geojson.features.length) { el.hidden = true; return; }
  var map = L.map(el, { scrollWheelZoom: false, zoomSnap: 0.25 });
  var layer = L.geoJSON(geojson, { style: { color: "#d4351c", weight: 3, fillOpacity: 0.2 } }).addTo(map);
  map.fitBounds(layer.getBounds());
  map.attributionControl.addAttribution("Boundaries: ONS, OS data © Crown copyright");
})();
