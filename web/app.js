// Skaraborgskartan: enhances the server-rendered pages. Every page works without this script,
// and the script works on every page (with or without a map, form or print button).
// - draws the kommun map (Leaflet, loaded by map pages before this module) and colours each
//   kommun by the class the page's own table gives it (tr[data-kommun][data-klass]);
// - on the map page, a changed filter fetches the same page for the new query and swaps the
//   results and the short answer (#svar-kort) in place, recolours the map and updates the URL:
//   a new history entry (pushState) when the kommun or the age changed, so Back undoes it, else
//   replaceState; Back and Forward (popstate) set the form from the URL and fetch again;
// - shows Dokument only with the adherence layer;
// - popups: Escape closes them (also with focus inside), focus goes back where it was;
// - the familjecentraler layer: a point where a source gives a familjecentral's coordinates;
// - "Skriv ut rapport" (button#skriv-ut) prints the page.
// Its own words come in the page's language (<html lang>: sv, or en under /en/).

const L = window.L;
const island = document.getElementById('kartdata');
const config = island ? JSON.parse(island.textContent) : null;
const SVG = 'http://www.w3.org/2000/svg';
/// Below this map width the kommun names would collide: only the chosen kommun keeps its label.
const NARROW_MAP_PX = 500;
/// Fields whose change is a new question (a history entry); the rest refine the answer.
const PUSH_FIELDS = ['kommun', 'age'];
/// Changes of the same field within this time are one gesture (one history entry).
const COALESCE_MS = 1500;

/// English pages (under /en/) get the script's words in English and English kommun links.
const EN = document.documentElement.lang === 'en';
const t = (sv, en) => (EN ? en : sv);
const KOMMUN_PATH = EN ? '/en/kommun/' : '/kommun/';

let map = null;
let kommunLayer = null;
let pointLayer = null;
let lastFocus = null;
let fitZoom = null;
const labels = new Map(); // kommunkod → Leaflet tooltip

function classes() {
  const out = new Map();
  for (const row of document.querySelectorAll('tr[data-kommun][data-klass]')) {
    out.set(row.dataset.kommun, { klass: row.dataset.klass, row });
  }
  return out;
}

function status(text) {
  const el = document.getElementById('antal');
  if (el) el.textContent = text;
}

/// The status line as the server wrote it (its Swedish data marked lang="sv" on English pages).
function statusFrom(node) {
  const el = document.getElementById('antal');
  if (el) el.replaceChildren(...[...node.childNodes].map((n) => document.importNode(n, true)));
}

function selectedKommun() {
  return new URLSearchParams(location.search).get('kommun') ?? config?.selected ?? null;
}

/* Okänt is drawn hatched: a pattern the stylesheet's `fill: url(#okant-monster)` refers to.
   "Inga program i katalogen" is dotted (`url(#inget-program-monster)`), so neither can be read as
   white (confirmed none). */
function addPatterns(svg) {
  if (!svg || svg.querySelector('#okant-monster')) return;
  const el = (name, attrs) => {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    return e;
  };
  const defs = el('defs', {});
  const hatch = el('pattern', { id: 'okant-monster', patternUnits: 'userSpaceOnUse', width: '8', height: '8', patternTransform: 'rotate(45)' });
  hatch.append(el('rect', { width: '8', height: '8', fill: '#d9d9d9' }), el('line', { x1: '0', y1: '0', x2: '0', y2: '8', stroke: '#6e6e6e', 'stroke-width': '3' }));
  const dots = el('pattern', { id: 'inget-program-monster', patternUnits: 'userSpaceOnUse', width: '8', height: '8' });
  dots.append(el('rect', { width: '8', height: '8', fill: '#efefef' }), el('circle', { cx: '4', cy: '4', r: '1.4', fill: '#595959' }));
  defs.append(hatch, dots);
  svg.prepend(defs);
}

function recolour(selected = selectedKommun()) {
  if (!kommunLayer) return;
  const byCode = classes();
  kommunLayer.eachLayer((layer) => {
    const code = String(layer.feature.id);
    const path = layer.getElement();
    if (!path) return;
    const klass = byCode.get(code)?.klass ?? 'k-okant';
    const chosen = code === selected;
    path.setAttribute('class', `leaflet-interactive kommun ${klass}${chosen ? ' vald' : ''}`);
    path.dataset.kommun = code;
    // The chosen outline is drawn last, so neighbours' borders do not cut through it.
    if (chosen) layer.bringToFront();
  });
  for (const [code, tip] of labels) tip.getElement()?.classList.toggle('vald', code === selected);
  drawPoints();
}

/* The familjecentraler layer: a point where a source gives a familjecentral's coordinates (the
   page's #familjecentral-punkter); the list names every familjecentral, with or without one. */
function drawPoints() {
  pointLayer?.remove();
  pointLayer = null;
  const data = document.getElementById('familjecentral-punkter');
  if (!map || !data) return;
  // Above the kommun names, which may sit on the same spot.
  if (!map.getPane('punkter')) map.createPane('punkter').style.zIndex = 660;
  const markers = JSON.parse(data.textContent).map((p) =>
    L.circleMarker([p.lat, p.lon], { pane: 'punkter', radius: 7, weight: 3, color: '#08306b', fillColor: '#fff', fillOpacity: 1, className: 'familjecentral-punkt' })
      .bindTooltip(p.name));
  pointLayer = L.layerGroup(markers).addTo(map);
}

function popupContent(feature) {
  const code = String(feature.id);
  const name = feature.properties.namn;
  const row = classes().get(code)?.row;
  const box = document.createElement('div');
  const h = document.createElement('h3');
  h.textContent = name;
  box.append(h);
  if (row) {
    const cells = [...row.querySelectorAll('td')].map((td) => td.textContent.replace(/\s+/g, ' ').trim()).filter(Boolean);
    const p = document.createElement('p');
    p.textContent = cells.join(': ');
    box.append(p);
  }
  const a = document.createElement('a');
  a.href = `${KOMMUN_PATH}${code}`;
  a.textContent = t(`Allt om ${name}`, `Everything about ${name}`);
  box.append(a);
  return box;
}

/* Labels collide on a small map: there only the chosen kommun keeps its name (the list and the
   popups name every kommun); zoomed in, they come back. */
function fitLabels() {
  if (!map) return;
  const narrow = map.getSize().x < NARROW_MAP_PX && (fitZoom === null || map.getZoom() < fitZoom + 1);
  map.getContainer().classList.toggle('smal-karta', narrow);
}

function fit() {
  if (!map || !kommunLayer) return;
  // A map in a hidden container (a phone, before "Visa kartan") has no size: padding would
  // give it a negative one and no view at all.
  const size = map.getSize();
  const padding = size.x > 100 && size.y > 100 ? [8, 8] : [0, 0];
  map.fitBounds(kommunLayer.getBounds(), { padding });
  fitZoom = map.getZoom();
  fitLabels();
}

async function drawMap() {
  const el = document.getElementById('karta');
  if (!el || !L || !config) return;
  el.textContent = '';
  map = L.map(el, { zoomControl: false, attributionControl: false, zoomSnap: 0.25, renderer: L.svg() });
  L.control.zoom({ position: 'topleft', zoomInTitle: t('Zooma in', 'Zoom in'), zoomOutTitle: t('Zooma ut', 'Zoom out') }).addTo(map);
  L.control
    .attribution({ prefix: '<a href="https://leafletjs.com">Leaflet</a>' })
    // The data set's attribution is Swedish text.
    .addAttribution(EN ? `<span lang="sv">${config.attribution}</span>` : config.attribution)
    .addTo(map);
  if (config.tiles) L.tileLayer(config.tiles, { attribution: '' }).addTo(map);

  let data;
  try {
    const res = await fetch(config.geojson);
    if (!res.ok) throw new Error(res.status);
    data = await res.json();
  } catch {
    el.textContent = t('Kartan kunde inte laddas. Listan visar samma uppgifter.', 'The map could not be loaded. The list shows the same information.');
    return;
  }
  kommunLayer = L.geoJSON(data, { style: () => ({ className: 'kommun' }) }).addTo(map);
  kommunLayer.on('click', (e) => {
    const active = document.activeElement;
    // Focus inside an open popup is not a place to come back to once it closes.
    if (!active?.closest?.('.leaflet-popup')) lastFocus = active;
    // The padding keeps the popup (title and close button) clear of the zoom buttons (top left)
    // and the attribution (bottom right).
    L.popup({ maxWidth: 280, autoPanPaddingTopLeft: L.point(60, 12), autoPanPaddingBottomRight: L.point(12, 28) })
      .setLatLng(e.latlng)
      .setContent(popupContent(e.layer.feature))
      .openOn(map);
  });
  for (const f of data.features) {
    const [lon, lat] = f.properties.label_point;
    const tip = L.tooltip({ permanent: true, direction: 'center', className: 'etikett', interactive: false })
      .setLatLng([lat, lon])
      .setContent(f.properties.namn)
      .addTo(map);
    labels.set(String(f.id), tip);
  }
  // Layers are drawn once the map has a view, so the SVG exists only after fitBounds.
  fit();
  addPatterns(el.querySelector('svg'));
  recolour();
  map.on('zoomend resize', fitLabels);

  // Popups take focus and give it back; Leaflet's close control gets a name in the page's language.
  map.on('popupopen', (e) => {
    const node = e.popup.getElement();
    const close = node.querySelector('.leaflet-popup-close-button');
    if (close) {
      close.setAttribute('aria-label', t('Stäng', 'Close'));
      close.setAttribute('title', t('Stäng', 'Close'));
      close.setAttribute('role', 'button');
    }
    node.querySelector(`a[href^="${KOMMUN_PATH}"]`)?.focus();
  });
  map.on('popupclose', () => {
    if (lastFocus && lastFocus !== document.body && document.contains(lastFocus)) lastFocus.focus();
    else el.focus();
    lastFocus = null;
  });
  // Escape closes the popup wherever focus is (Leaflet's own handler only listens while the map
  // container itself has focus).
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !map) return;
    const popup = el.querySelector('.leaflet-popup');
    if (!popup) return;
    e.preventDefault();
    map.closePopup();
  });
}

/* Phones: the list first, the map one button away. */
function mobileToggle() {
  const button = document.getElementById('visa-karta');
  const part = button?.closest('.kartdel');
  if (!button || !part || !document.getElementById('karta')) return;
  const narrow = window.matchMedia('(max-width: 700px)');
  const apply = () => {
    if (narrow.matches) {
      button.hidden = false;
      part.classList.toggle('dold', button.getAttribute('aria-expanded') !== 'true');
    } else {
      button.hidden = true;
      part.classList.remove('dold');
    }
    map?.invalidateSize();
  };
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? t('Dölj kartan', 'Hide the map') : t('Visa kartan', 'Show the map');
    apply();
    if (open) fit();
  });
  narrow.addEventListener('change', apply);
  apply();
}

/* Dokument belongs to the adherence layer only. */
function documentField(form) {
  const field = document.getElementById('falt-dokument');
  const layer = form?.elements.layer;
  if (!field || !layer) return () => {};
  const apply = () => {
    field.hidden = layer.value !== 'adherence';
  };
  layer.addEventListener('change', apply);
  apply();
  return apply;
}

/// Replaces `id` in the live document by the fetched one's (or removes it / adds it after `form`).
function swap(doc, id, form) {
  const now = document.getElementById(id);
  const next = doc.getElementById(id);
  if (now && next) now.replaceWith(document.importNode(next, true));
  else if (now) now.remove();
  else if (next && form) form.after(document.importNode(next, true));
}

/* The map page's filters: same query as the GET form, fetched and swapped in place. */
function enhanceFilters() {
  const form = document.getElementById('filter');
  if (!form || !document.getElementById('resultat-innehall')) return;
  const showDocument = documentField(form);
  const path = form.getAttribute('action') || location.pathname;
  let pending = null;
  let shown = location.search.replace(/^\?/, '');
  let lastPush = null;

  // A control hidden with its field (Dokument without the adherence layer) is not part of the
  // question; neither is a value equal to the field's default (a clean address).
  const queryOf = () => {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      const control = form.elements[name];
      const el = control instanceof RadioNodeList ? control[0] : control;
      if (el?.closest?.('[hidden]') && el.type !== 'hidden') continue;
      const standard = el?.dataset?.standard;
      if (value !== '' && value !== standard) params.append(name, value);
    }
    return params.toString();
  };

  /// Sets every visible field from a query (defaults where it says nothing).
  const setForm = (query) => {
    const params = new URLSearchParams(query);
    for (const el of form.elements) {
      if (!el.name || el.type === 'hidden' || !('value' in el) || el.tagName === 'BUTTON') continue;
      const value = params.get(el.name) ?? el.dataset.standard ?? '';
      if (el.tagName === 'SELECT' && ![...el.options].some((o) => o.value === value)) continue;
      el.value = value;
    }
    showDocument();
  };

  const update = async ({ fromHistory = false } = {}) => {
    const query = fromHistory ? location.search.replace(/^\?/, '') : queryOf();
    const url = query ? `${path}?${query}` : path;
    pending?.abort();
    const controller = new AbortController();
    pending = controller;
    let doc;
    try {
      const res = await fetch(url, { signal: controller.signal, headers: { Accept: 'text/html' } });
      doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      if (!res.ok) {
        status(doc.querySelector('.fel')?.textContent ?? t('Filtret kunde inte användas.', 'The filter could not be used.'));
        return;
      }
    } catch (e) {
      if (e.name !== 'AbortError') status(t('Resultatet kunde inte hämtas. Försök igen.', 'The results could not be fetched. Please try again.'));
      return;
    }
    if (pending !== controller) return;
    const fresh = doc.getElementById('resultat-innehall');
    if (!fresh) {
      status(t('Resultatet kunde inte visas. Ladda om sidan.', 'The results could not be shown. Please reload the page.'));
      return;
    }
    document.getElementById('resultat-innehall').replaceWith(document.importNode(fresh, true));
    swap(doc, 'svar-kort', form);
    const antal = doc.getElementById('antal');
    if (antal) statusFrom(antal);
    document.title = doc.title;
    if (!fromHistory) {
      const before = new URLSearchParams(shown);
      const after = new URLSearchParams(query);
      const changed = PUSH_FIELDS.filter((n) => (before.get(n) ?? '') !== (after.get(n) ?? '')).join();
      // Type-ahead ("1", "3" for 13 år) changes a select once per key: one entry for the lot.
      const now = Date.now();
      const sameGesture = lastPush && lastPush.fields === changed && now - lastPush.at < COALESCE_MS;
      if (changed && !sameGesture) history.pushState({ skk: query }, '', url);
      else history.replaceState({ skk: query }, '', url);
      if (changed) lastPush = { fields: changed, at: now };
    }
    shown = query;
    recolour(new URLSearchParams(query).get('kommun'));
  };

  form.addEventListener('change', () => update());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    update();
  });
  // Back/Forward: the form and the results follow the address. A fragment link (#resultat)
  // also fires popstate; the query is then the same and nothing needs doing.
  window.addEventListener('popstate', () => {
    const query = location.search.replace(/^\?/, '');
    if (query === shown) return;
    lastPush = null;
    setForm(query);
    update({ fromHistory: true });
  });

  const position = document.getElementById('min-position');
  if (position && 'geolocation' in navigator) {
    position.hidden = false;
    position.addEventListener('click', () => {
      status(t('Söker din position …', 'Finding your location …'));
      navigator.geolocation.getCurrentPosition(
        async (pos) => {
          const { latitude, longitude } = pos.coords;
          let res;
          try {
            res = await fetch(`/api/v1/locate?lat=${latitude.toFixed(5)}&lon=${longitude.toFixed(5)}`);
          } catch {
            status(t('Positionen kunde inte hämtas. Välj kommun i listan.', 'Your location could not be found. Choose your kommun in the list.'));
            return;
          }
          if (!res.ok) {
            status(t('Din position ligger inte i någon kommun i regionen. Välj kommun i listan.', 'Your location is not in any kommun of the region. Choose your kommun in the list.'));
            return;
          }
          const found = await res.json();
          form.elements.kommun.value = found.kommunkod;
          await update();
        },
        (err) => status(err.code === 1
          ? t('Positionen kunde inte hämtas eftersom webbläsaren inte fick tillåtelse. Välj kommun i listan.', 'Your location could not be found because the browser was not allowed to share it. Choose your kommun in the list.')
          : t('Positionen kunde inte hämtas. Välj kommun i listan.', 'Your location could not be found. Choose your kommun in the list.')),
        { timeout: 10000 },
      );
    });
  }
}

/* Kommun and comparison pages: a print button (hidden without script, where it cannot work). */
function printButton() {
  const button = document.getElementById('skriv-ut');
  if (!button || typeof window.print !== 'function') return;
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}

enhanceFilters();
mobileToggle();
printButton();
drawMap();
