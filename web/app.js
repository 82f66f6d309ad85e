// Skaraborgskartan: enhances the server-rendered pages. Every page works without this script.
// - draws the kommun map (Leaflet, loaded by the page before this module) and colours each
//   kommun by the class the page's own table gives it (tr[data-kommun][data-klass]);
// - on the map page, a changed filter fetches the same page for the new query, swaps the results
//   in place, recolours the map and updates the URL with replaceState (no history entry).

const L = window.L;
const island = document.getElementById('kartdata');
const config = island ? JSON.parse(island.textContent) : null;
const SVG = 'http://www.w3.org/2000/svg';

let map = null;
let kommunLayer = null;
let lastFocus = null;

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

/* Okänt is drawn hatched: a pattern the stylesheet's `fill: url(#okant-monster)` refers to. */
function addHatchPattern(svg) {
  if (!svg || svg.querySelector('#okant-monster')) return;
  const defs = document.createElementNS(SVG, 'defs');
  const pattern = document.createElementNS(SVG, 'pattern');
  pattern.setAttribute('id', 'okant-monster');
  pattern.setAttribute('patternUnits', 'userSpaceOnUse');
  pattern.setAttribute('width', '8');
  pattern.setAttribute('height', '8');
  pattern.setAttribute('patternTransform', 'rotate(45)');
  const rect = document.createElementNS(SVG, 'rect');
  rect.setAttribute('width', '8');
  rect.setAttribute('height', '8');
  rect.setAttribute('fill', '#d9d9d9');
  const line = document.createElementNS(SVG, 'line');
  line.setAttribute('x1', '0');
  line.setAttribute('y1', '0');
  line.setAttribute('x2', '0');
  line.setAttribute('y2', '8');
  line.setAttribute('stroke', '#6e6e6e');
  line.setAttribute('stroke-width', '3');
  pattern.append(rect, line);
  defs.append(pattern);
  svg.prepend(defs);
}

function recolour() {
  if (!kommunLayer) return;
  const byCode = classes();
  const selected = new URLSearchParams(location.search).get('kommun');
  kommunLayer.eachLayer((layer) => {
    const code = String(layer.feature.id);
    const path = layer.getElement();
    if (!path) return;
    const klass = byCode.get(code)?.klass ?? 'k-okant';
    path.setAttribute('class', `leaflet-interactive kommun ${klass}${code === selected ? ' vald' : ''}`);
    path.dataset.kommun = code;
  });
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
    const cells = [...row.querySelectorAll('td')].map((td) => td.textContent.trim());
    const p = document.createElement('p');
    p.textContent = cells.join(': ');
    box.append(p);
  }
  const a = document.createElement('a');
  a.href = `/kommun/${code}`;
  a.textContent = `Allt om ${name}`;
  box.append(a);
  return box;
}

async function drawMap() {
  const el = document.getElementById('karta');
  if (!el || !L || !config) return;
  el.textContent = '';
  map = L.map(el, { zoomControl: false, attributionControl: false, zoomSnap: 0.25, renderer: L.svg() });
  L.control.zoom({ zoomInTitle: 'Zooma in', zoomOutTitle: 'Zooma ut' }).addTo(map);
  L.control
    .attribution({ prefix: '<a href="https://leafletjs.com">Leaflet</a>' })
    .addAttribution(config.attribution)
    .addTo(map);
  if (config.tiles) L.tileLayer(config.tiles, { attribution: '' }).addTo(map);

  let data;
  try {
    const res = await fetch(config.geojson);
    if (!res.ok) throw new Error(res.status);
    data = await res.json();
  } catch {
    el.textContent = 'Kartan kunde inte laddas. Listan visar samma uppgifter.';
    return;
  }
  kommunLayer = L.geoJSON(data, { style: () => ({ className: 'kommun' }) }).addTo(map);
  kommunLayer.on('click', (e) => {
    lastFocus = document.activeElement;
    L.popup({ maxWidth: 280 }).setLatLng(e.latlng).setContent(popupContent(e.layer.feature)).openOn(map);
  });
  for (const f of data.features) {
    const [lon, lat] = f.properties.label_point;
    L.tooltip({ permanent: true, direction: 'center', className: 'etikett', interactive: false })
      .setLatLng([lat, lon])
      .setContent(f.properties.namn)
      .addTo(map);
  }
  // Layers are drawn once the map has a view, so the SVG exists only after fitBounds.
  map.fitBounds(kommunLayer.getBounds());
  addHatchPattern(el.querySelector('svg'));
  recolour();

  // Popups take focus and give it back; Leaflet's close control gets a Swedish name.
  map.on('popupopen', (e) => {
    const node = e.popup.getElement();
    const close = node.querySelector('.leaflet-popup-close-button');
    if (close) {
      close.setAttribute('aria-label', 'Stäng');
      close.setAttribute('title', 'Stäng');
    }
    node.querySelector('a[href^="/kommun/"]')?.focus();
  });
  map.on('popupclose', () => {
    if (lastFocus && document.contains(lastFocus)) lastFocus.focus();
    else el.focus();
    lastFocus = null;
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
    button.textContent = open ? 'Dölj kartan' : 'Visa kartan';
    apply();
    if (open && kommunLayer) map.fitBounds(kommunLayer.getBounds());
  });
  narrow.addEventListener('change', apply);
  apply();
}

/* The map page's filters: same query as the GET form, fetched and swapped in place. */
function enhanceFilters() {
  const form = document.getElementById('filter');
  if (!form) return;
  let pending = null;

  const queryOf = () => {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      const standard = form.elements[name]?.dataset?.standard;
      if (value !== '' && value !== standard) params.append(name, value);
    }
    return params.toString();
  };

  const update = async () => {
    const query = queryOf();
    const url = query ? `/?${query}` : '/';
    pending?.abort();
    pending = new AbortController();
    let doc;
    try {
      const res = await fetch(url, { signal: pending.signal, headers: { Accept: 'text/html' } });
      doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      if (!res.ok) {
        status(doc.querySelector('.fel')?.textContent ?? 'Filtret kunde inte användas.');
        return;
      }
    } catch (e) {
      if (e.name !== 'AbortError') status('Resultatet kunde inte hämtas. Försök igen.');
      return;
    }
    document.getElementById('resultat-innehall').replaceWith(doc.getElementById('resultat-innehall'));
    status(doc.getElementById('antal').textContent);
    document.title = doc.title;
    history.replaceState(null, '', url);
    recolour();
  };

  form.addEventListener('change', update);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    update();
  });

  const position = document.getElementById('min-position');
  if (position && 'geolocation' in navigator) {
    position.hidden = false;
    position.addEventListener('click', () => {
      status('Söker din position …');
      navigator.geolocation.getCurrentPosition(
        async (pos) => {
          const { latitude, longitude } = pos.coords;
          const res = await fetch(`/api/v1/locate?lat=${latitude.toFixed(5)}&lon=${longitude.toFixed(5)}`);
          if (!res.ok) {
            status('Din position ligger inte i någon kommun i regionen. Välj kommun i listan.');
            return;
          }
          const found = await res.json();
          form.elements.kommun.value = found.kommunkod;
          await update();
        },
        (err) => status(err.code === 1
          ? 'Positionen kunde inte hämtas eftersom webbläsaren inte fick tillåtelse. Välj kommun i listan.'
          : 'Positionen kunde inte hämtas. Välj kommun i listan.'),
        { timeout: 10000 },
      );
    });
  }
}

enhanceFilters();
mobileToggle();
drawMap();
