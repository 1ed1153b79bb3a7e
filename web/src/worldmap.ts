// A world map drawn in the page (SVG, no request to anyone): Natural
// Earth's countries from the npm package world-atlas, decoded by
// topojson-client and projected by d3-geo, all bundled into the app's own
// script, so the strict CSP (connect-src 'self', img-src 'self' data:) holds.
// A place is a country (the API's location has no coordinates): its
// shape is highlighted and a dot marks the centre of its largest land.
import { feature } from 'topojson-client';
import { geoArea, geoCentroid, geoNaturalEarth1, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import world from 'world-atlas/countries-110m.json';
import { isoNumeric } from './iso-numeric';

const topology = world as unknown as Topology<{ countries: GeometryCollection }>;
let countries: FeatureCollection<Geometry> | null = null;

function allCountries(): FeatureCollection<Geometry> {
  countries ??= feature(topology, topology.objects.countries) as FeatureCollection<Geometry>;
  return countries;
}

// The centre of a country's largest polygon (France's, not the Atlantic's).
function centre(f: Feature<Geometry>): [number, number] {
  if (f.geometry.type !== 'MultiPolygon') return geoCentroid(f);
  let best: Feature<Polygon> | null = null;
  let area = -1;
  for (const coordinates of (f.geometry as MultiPolygon).coordinates) {
    const part: Feature<Polygon> = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates } };
    const a = geoArea(part);
    if (a > area) { area = a; best = part; }
  }
  return geoCentroid(best!);
}

export interface Place { country_code: string; label: string }

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag: string, attrs: Record<string, string>): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

function featureOf(countryCode: string): Feature<Geometry> | undefined {
  const id = isoNumeric[countryCode];
  return id ? allCountries().features.find((x) => String(x.id) === id) : undefined;
}

// The map with a dot per place (places without a known country are left
// out); `label` names the map for screen readers. `zoom`: the region
// around the one place (about 60° by 30°), as a phone's sign-in prompt
// shows it; otherwise the whole world.
export function worldMap(places: Place[], label: string, zoom = false): SVGSVGElement {
  const width = 640, height = 330;
  const all = allCountries();
  const focus = zoom && places.length ? featureOf(places[0].country_code) : undefined;
  const projection = geoNaturalEarth1();
  if (focus) {
    const [lon, lat] = centre(focus);
    projection.rotate([-lon, 0]).fitExtent([[4, 4], [width - 4, height - 4]],
      { type: 'MultiPoint', coordinates: [[lon - 30, Math.max(lat - 15, -89)], [lon + 30, Math.min(lat + 15, 89)]] });
  } else {
    projection.fitExtent([[4, 4], [width - 4, height - 4]], { type: 'Sphere' });
  }
  const path = geoPath(projection);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: focus ? 'world-map zoomed' : 'world-map' }) as SVGSVGElement;
  const title = svg('title', {});
  title.textContent = label;
  root.append(title, focus ? svg('rect', { width: String(width), height: String(height), class: 'sea' }) : svg('path', { d: path({ type: 'Sphere' }) ?? '', class: 'sea' }),
    svg('path', { d: path(all) ?? '', class: 'land' }));
  const marked = new Set<string>();
  for (const p of places) {
    const f = featureOf(p.country_code);
    if (!f || marked.has(p.country_code)) continue;
    marked.add(p.country_code);
    root.append(svg('path', { d: path(f) ?? '', class: 'here' }));
    const xy = projection(centre(f));
    if (!xy) continue;
    const dot = svg('g', { class: 'dot', 'data-country': p.country_code });
    dot.append(svg('circle', { cx: String(xy[0]), cy: String(xy[1]), r: '11', class: 'halo' }),
      svg('circle', { cx: String(xy[0]), cy: String(xy[1]), r: '5' }));
    root.append(dot);
  }
  return root;
}
