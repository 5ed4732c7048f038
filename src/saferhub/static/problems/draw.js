/* Drawing a problem's place: select points on the map for the corners, "Finish the area"
   writes a closed GeoJSON polygon (WGS84) into the form's box. No tiles: the map shows the
   partnership's boundary and the place as it is. Without JavaScript the box is pasted. */
(function () {
  "use strict";
  if (typeof L === "undefined") return;
  var el = document.getElementById("place-draw-map");
  var data = document.getElementById("place-draw-geojson");
  var box = document.getElementById("id_polygon");
  var kind = document.getElementById("id_place_type");
  if (!el || !data || !box) return;
  var geojson = JSON.parse(data.textContent);
  var buttons = document.getElementById("place-draw-buttons");
  var status = document.getElementById("place-draw-status");
  var map = L.map(el, { zoomSnap: 0.25, doubleClickZoom: false });
  map.attributionControl.addAttribution("Boundaries: ONS, OS data © Crown copyright");
  var shown = L.geoJSON(geojson, {
    style: function (f) {
      return f.properties && f.properties.role === "place"
        ? { color: "#d4351c", weight: 3, fillOpacity: 0.2 }
        : { color: "#0b0c0c", weight: 2, fillOpacity: 0.03 };
    }
  }).addTo(map);
  if (shown.getLayers().length) {
    map.fitBounds(shown.getBounds());
  } else {
    map.fitBounds([[49.9, -6.4], [55.9, 1.8]]);  // England and Wales
    status.textContent = "No partnership boundary to show yet (it is shown for a problem started from the assessment or an area page, and when changing one): zoom in to the place, or paste GeoJSON.";
  }
  var corners = [];
  var line = L.polyline([], { color: "#1d70b8", weight: 3 }).addTo(map);
  var drawn = null;
  buttons.hidden = false;

  function say(text) { status.textContent = text; }
  map.on("click", function (e) {
    if (drawn) { map.removeLayer(drawn); drawn = null; }
    corners.push([e.latlng.lng, e.latlng.lat]);
    line.setLatLngs(corners.map(function (c) { return [c[1], c[0]]; }));
    say(corners.length + " corner" + (corners.length === 1 ? "" : "s") + " marked.");
  });
  document.getElementById("place-draw-finish").addEventListener("click", function () {
    if (corners.length < 3) { say("Mark at least 3 corners first."); return; }
    var ring = corners.map(function (c) {
      return [Math.round(c[0] * 1e6) / 1e6, Math.round(c[1] * 1e6) / 1e6];
    });
    ring.push(ring[0]);
    var polygon = { type: "Polygon", coordinates: [ring] };
    box.value = JSON.stringify(polygon);
    if (kind) kind.value = "polygon";
    line.setLatLngs([]);
    drawn = L.geoJSON(polygon, { style: { color: "#1d70b8", weight: 3, fillOpacity: 0.2 } }).addTo(map);
    corners = [];
    say("The area is written into the drawn area box (" + (ring.length - 1) + " corners). Save to check it.");
  });
  document.getElementById("place-draw-clear").addEventListener("click", function () {
    corners = [];
    line.setLatLngs([]);
    if (drawn) { map.removeLayer(drawn); drawn = null; }
    say("Cleared: mark the corners again.");
  });
  // A map inside closed details has no size until it opens.
  var details = document.getElementById("place-draw");
  if (details) details.addEventListener("toggle", function () {
    map.invalidateSize();
    if (shown.getLayers().length) map.fitBounds(shown.getBounds());
  });
})();
