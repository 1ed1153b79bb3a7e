// A world map drawn in the page (SVG, no request to anyone): Natural
// Earth's countries from the npm package world-atlas, decoded by
// topojson-client and projected by d3-geo, all bundled into the app's own
// script, so the strict CSP (connect-src 'self', img-src 'self' data:) holds.
// A place's country is highlighted and a dot marks the place: at its
// coordinates (the API's, rounded to 0.1°: a town, not a street) or, when
// the database has none, at the centre of the country's largest land.
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

export interface Place { country_code: string; label: string; latitude?: number | null; longitude?: number | null }

// Where a place's dot goes, [longitude, latitude]; undefined when neither
// the place nor its country is known.
function spot(p: Place, f: Feature<Geometry> | undefined): [number, number] | undefined {
  if (typeof p.latitude === 'number' && typeof p.longitude === 'number') return [p.longitude, p.latitude];
  return f ? centre(f) : undefined;
}

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

// The map with a dot per distinct place (places with neither coordinates
// nor a known country are left out); `label` names the map for screen readers. `zoom`: the region
// around the one place (about 60° by 30°), as a phone's sign-in prompt
// shows it; otherwise the whole world.
export function worldMap(places: Place[], label: string, zoom = false): SVGSVGElement {
  const width = 640, height = 330;
  const all = allCountries();
  const focusAt = zoom && places.length ? spot(places[0], featureOf(places[0].country_code)) : undefined;
  const projection = geoNaturalEarth1();
  if (focusAt) {
    const [lon, lat] = focusAt;
    projection.rotate([-lon, 0]).fitExtent([[4, 4], [width - 4, height - 4]],
      { type: 'MultiPoint', coordinates: [[lon - 30, Math.max(lat - 15, -89)], [lon + 30, Math.min(lat + 15, 89)]] });
  } else {
    projection.fitExtent([[4, 4], [width - 4, height - 4]], { type: 'Sphere' });
  }
  const path = geoPath(projection);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: focusAt ? 'world-map zoomed' : 'world-map' }) as SVGSVGElement;
  const title = svg('title', {});
  title.textContent = label;
  root.append(title, focusAt ? svg('rect', { width: String(width), height: String(height), class: 'sea' }) : svg('path', { d: path({ type: 'Sphere' }) ?? '', class: 'sea' }),
    svg('path', { d: path(all) ?? '', class: 'land' }));
  // One highlight per country, one dot per distinct place.
  const shaded = new Set<string>();
  const dotted = new Set<string>();
  for (const p of places) {
    const f = featureOf(p.country_code);
    if (f && !shaded.has(p.country_code)) {
      shaded.add(p.country_code);
      root.append(svg('path', { d: path(f) ?? '', class: 'here' }));
    }
    const at = spot(p, f);
    const key = at ? at.join(',') : '';
    if (!at || dotted.has(key)) continue;
    dotted.add(key);
    const xy = projection(at);
    if (!xy) continue;
    const dot = svg('g', { class: 'dot', 'data-country': p.country_code, 'data-place': p.label });
    dot.append(svg('circle', { cx: String(xy[0]), cy: String(xy[1]), r: '11', class: 'halo' }),
      svg('circle', { cx: String(xy[0]), cy: String(xy[1]), r: '5' }));
    root.append(dot);
  }
  return root;
}
