// Drawing a polygon on the map, with the mouse (click corners; double-click, a click on the first corner or
// Enter finishes; Escape cancels) or the keyboard (arrow keys move a cursor, Enter or Space adds a corner,
// Enter again on the same spot finishes), each step announced for screen readers.
import L from "leaflet";

/** Corners as [longitude, latitude] on the map's plane (east of 180° stays past 180°). */
export type DrawnRing = [number, number][];

const LINE = { color: "#c2410c", weight: 2, dashArray: "5 4", interactive: false };
/** Pixels: how near the first corner a click closes the polygon, and the keyboard cursor's steps. */
const CLOSE_PX = 10;
const STEP_PX = 10;
const BIG_STEP_PX = 50;

const fmt = (ll: L.LatLng) => {
  const lng = ((((ll.lng + 180) % 360) + 360) % 360) - 180;
  return `${Math.abs(ll.lat).toFixed(2)}°${ll.lat < 0 ? "S" : "N"} ${Math.abs(lng).toFixed(2)}°${lng < 0 ? "W" : "E"}`;
};

export class PolygonDrawer {
  private corners: L.LatLng[] = [];
  private layer: L.LayerGroup | undefined;
  private cursor: L.LatLng | undefined;
  /**
   * The last step added a corner (a click, or Enter/Space on the cursor): Enter now finishes. After the
   * cursor moves, Enter adds a corner there first.
   */
  private enterFinishes = false;
  active = false;

  constructor(
    private readonly map: L.Map,
    private readonly announce: (message: string) => void,
    private readonly onDone: (ring: DrawnRing | undefined) => void,
  ) {
    map.on("click", (e: L.LeafletMouseEvent) => this.active && this.click(e));
    map.on("dblclick", (e: L.LeafletMouseEvent) => {
      if (!this.active) return;
      L.DomEvent.stop(e);
      this.finish();
    });
    map.on("mousemove", (e: L.LeafletMouseEvent) => {
      if (!this.active) return;
      this.cursor = e.latlng;
      this.paint();
    });
    map.getContainer().addEventListener("keydown", (e) => this.active && this.key(e));
  }

  start(): void {
    this.active = true;
    this.corners = [];
    this.cursor = undefined;
    this.enterFinishes = false;
    this.map.doubleClickZoom.disable();
    this.map.keyboard.disable();
    const c = this.map.getContainer();
    c.classList.add("drawing");
    c.tabIndex = 0;
    this.announce(
      "Drawing a polygon. Click its corners, then double-click or click the first corner to finish. " +
        "With the keyboard: arrow keys move the cursor (Shift for larger steps), Enter or Space adds a corner, Enter twice finishes, Backspace removes the last corner, Escape cancels.",
    );
  }

  /** Ends drawing; with `ring`, the polygon was finished, otherwise cancelled. */
  private stop(ring: DrawnRing | undefined): void {
    this.active = false;
    this.layer?.remove();
    this.layer = undefined;
    this.map.doubleClickZoom.enable();
    this.map.keyboard.enable();
    this.map.getContainer().classList.remove("drawing");
    this.onDone(ring);
  }

  cancel(): void {
    if (!this.active) return;
    this.announce("Drawing cancelled.");
    this.stop(undefined);
  }

  private click(e: L.LeafletMouseEvent): void {
    const first = this.corners[0];
    const near = (ll: L.LatLng | undefined) =>
      ll !== undefined && this.map.latLngToContainerPoint(ll).distanceTo(e.containerPoint) <= CLOSE_PX;
    if (this.corners.length >= 3 && near(first)) {
      this.finish();
      return;
    }
    // The two clicks of a double-click arrive first: the second must not add the same corner again.
    if (near(this.corners[this.corners.length - 1])) return;
    this.add(e.latlng);
    this.enterFinishes = true;
  }

  private add(ll: L.LatLng): void {
    this.corners.push(ll);
    this.paint();
    const n = this.corners.length;
    this.announce(
      `Corner ${n} at ${fmt(ll)}.${n >= 3 ? " Enter finishes the polygon." : ` ${3 - n} more needed.`}`,
    );
  }

  finish(): void {
    if (this.corners.length < 3) {
      this.announce(`A polygon needs 3 corners; ${this.corners.length} so far.`);
      return;
    }
    const ring: DrawnRing = this.corners.map((c) => [c.lng, c.lat]);
    ring.push(ring[0]!);
    this.announce(`Polygon of ${this.corners.length} corners finished.`);
    this.stop(ring);
  }

  private key(e: KeyboardEvent): void {
    const arrows: Record<string, [number, number]> = {
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
    };
    const dir = arrows[e.key];
    if (dir) {
      e.preventDefault();
      this.moveCursor(
        dir[0] * (e.shiftKey ? BIG_STEP_PX : STEP_PX),
        dir[1] * (e.shiftKey ? BIG_STEP_PX : STEP_PX),
      );
      return;
    }
    if (e.key === "Escape") {
      e.preventDefault();
      this.cancel();
      return;
    }
    if (e.key === "Backspace") {
      e.preventDefault();
      this.corners.pop();
      this.enterFinishes = false;
      this.paint();
      this.announce(`Last corner removed; ${this.corners.length} left.`);
      return;
    }
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      if (e.key === "Enter" && this.enterFinishes) {
        this.finish();
        return;
      }
      this.cursor ??= this.map.getCenter();
      this.add(this.cursor);
      this.enterFinishes = true;
    }
  }

  private moveCursor(dx: number, dy: number): void {
    const here = this.cursor ?? this.map.getCenter();
    const size = this.map.getSize();
    const p = this.map.latLngToContainerPoint(here).add([dx, dy]);
    // At the map's edge the map moves instead of the cursor leaving it.
    const pan = L.point(
      p.x < 0 ? p.x : p.x > size.x ? p.x - size.x : 0,
      p.y < 0 ? p.y : p.y > size.y ? p.y - size.y : 0,
    );
    if (pan.x || pan.y) this.map.panBy(pan, { animate: false });
    this.cursor = this.map.containerPointToLatLng(p.subtract(pan));
    this.enterFinishes = false;
    this.paint();
    this.announce(`Cursor at ${fmt(this.cursor)}.`);
  }

  private paint(): void {
    this.layer ??= L.layerGroup().addTo(this.map);
    this.layer.clearLayers();
    const pts = this.cursor ? [...this.corners, this.cursor] : this.corners;
    if (pts.length >= 2) L.polyline(pts, LINE).addTo(this.layer);
    if (this.corners.length >= 3)
      L.polygon(this.corners, { ...LINE, weight: 0, fillOpacity: 0.12 }).addTo(this.layer);
    for (const [i, c] of this.corners.entries())
      L.circleMarker(c, {
        radius: i === 0 ? 6 : 4,
        color: "#c2410c",
        weight: 2,
        fillColor: "#fff",
        fillOpacity: 1,
        interactive: false,
        className: "draw-corner",
      }).addTo(this.layer);
    if (this.cursor) {
      L.circleMarker(this.cursor, {
        radius: 7,
        color: "#111",
        weight: 2,
        fill: false,
        interactive: false,
        className: "draw-cursor",
      }).addTo(this.layer);
    }
  }
}
