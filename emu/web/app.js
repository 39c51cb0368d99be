// SPDX-License-Identifier: MIT
// app.js - the live web view: draws the run's state (/api/state) on a
// canvas over a world map, redrawn at each step (/api/events), with the
// path between two tapped nodes (/api/path) and, when the run allows it,
// nodes and links taken down or up by a click (/api/ctl).
'use strict';

(function () {
	const $ = (id) => document.getElementById(id);
	const canvas = $('map');
	const ctx = canvas.getContext('2d');
	// Load colours: idle, then by share of the link's rate (or, on an
	// unlimited link, by bit rate: 1 kbit/s, 1 Mbit/s, 100 Mbit/s).
	const LOAD_COLOURS = ['#ffe08a', '#ffb347', '#ff7043', '#e53935'];
	const LOAD_NAMES = ['< 1%', '< 10%', '< 50%', '>= 50%'];
	const ISL_IDLE = 'rgba(110, 150, 255, 0.28)';
	const GSL_IDLE = 'rgba(120, 220, 160, 0.55)';

	// What the page shows, for people and for tests/web/check.js.
	const view = {
		ready: false, step: -1, orbital_t: NaN, orbital: '',
		satellites: 0, groundStations: 0, links: 0, islUp: 0,
		gslUp: 0, frameMs: NaN, frameMsMax: 0, frames: 0,
		path: null, control: false, lastCtl: null,
	};
	window.lasermeshView = view;

	let names = [], index = new Map(), tapped = [], nsat = 0;
	let land = null, landCanvas = null;
	let st = null;			// the last /api/state
	let xy = null;			// canvas position of each node
	let proj = null, W = 0, H = 0, dpr = 1;
	let prevLoad = new Map(), prevWall = 0, linkLoad = new Map();
	let fetching = false, again = false;

	function project() {
		dpr = window.devicePixelRatio || 1;
		W = Math.max(1, Math.round(canvas.clientWidth * dpr));
		H = Math.max(1, Math.round(canvas.clientHeight * dpr));
		canvas.width = W;
		canvas.height = H;
		proj = d3.geoEquirectangular().fitSize([W, H],
						       { type: 'Sphere' });
		landCanvas = document.createElement('canvas');
		landCanvas.width = W;
		landCanvas.height = H;
		const lc = landCanvas.getContext('2d');
		const path = d3.geoPath(proj, lc);
		lc.fillStyle = '#0b1020';
		lc.fillRect(0, 0, W, H);
		lc.beginPath();
		path({ type: 'Sphere' });
		lc.fillStyle = '#0f1a33';
		lc.fill();
		lc.beginPath();
		path(d3.geoGraticule10());
		lc.strokeStyle = 'rgba(255,255,255,0.05)';
		lc.lineWidth = 1;
		lc.stroke();
		if (land) {
			lc.beginPath();
			path(land);
			lc.fillStyle = '#1d2a44';
			lc.fill();
			lc.strokeStyle = '#56709e';
			lc.lineWidth = Math.max(1, dpr * 0.7);
			lc.stroke();
		}
		if (st)
			place();
	}

	// Canvas positions of every node, from the state's lon/lat.
	function place() {
		const ll = st.lonlat, n = ll.length / 2;
		xy = new Float32Array(2 * n);
		for (let v = 0; v < n; v++) {
			const p = proj([ll[2 * v], ll[2 * v + 1]]);
			xy[2 * v] = p[0];
			xy[2 * v + 1] = p[1];
		}
	}

	// Bit rates of the directed links since the last state, kept per
	// undirected link as its busier direction's share of its rate.
	function loads() {
		const now = performance.now(), dt = (now - prevWall) / 1000;
		const l = st.load, cur = new Map();
		linkLoad = new Map();
		for (let i = 0; i < l.length; i += 6) {
			const a = l[i], b = l[i + 1], bytes = l[i + 3];
			const rate = l[i + 5], key = a * names.length + b;
			const old = prevLoad.get(key);
			cur.set(key, bytes);
			if (old === undefined || dt <= 0 || bytes <= old)
				continue;
			const bps = (bytes - old) * 8 / dt;
			const share = rate > 0 ? bps / rate :
				bps >= 1e8 ? 1 : bps >= 1e6 ? 0.2 :
				bps >= 1e3 ? 0.05 : 0.001;
			const k = Math.min(a, b) * names.length + Math.max(a, b);
			linkLoad.set(k, Math.max(linkLoad.get(k) || 0, share));
		}
		prevLoad = cur;
		prevWall = now;
	}

	function bucket(share) {
		return share < 0.01 ? 0 : share < 0.1 ? 1 : share < 0.5 ? 2 : 3;
	}

	// A segment from node a to node b, drawn again across the edge of
	// the map when it crosses the antimeridian.
	function segment(p, a, b) {
		const x1 = xy[2 * a], y1 = xy[2 * a + 1];
		let x2 = xy[2 * b];
		const y2 = xy[2 * b + 1];
		if (Math.abs(x2 - x1) > W / 2) {
			const s = x2 > x1 ? -W : W;
			p.moveTo(x1, y1);
			p.lineTo(x2 + s, y2);
			p.moveTo(x1 - s, y1);
			p.lineTo(x2, y2);
			return;
		}
		p.moveTo(x1, y1);
		p.lineTo(x2, y2);
	}

	function draw() {
		const t0 = performance.now();
		ctx.drawImage(landCanvas, 0, 0);
		if (!st || !xy) {
			return;
		}
		const L = st.links, n = names.length;
		const isl = new Path2D(), gsl = new Path2D();
		const hot = LOAD_COLOURS.map(() => new Path2D());
		let nisl = 0, ngsl = 0;
		for (let i = 0; i < L.length; i += 3) {
			const a = L[i], b = L[i + 1];
			const share = linkLoad.get(Math.min(a, b) * n +
						   Math.max(a, b));
			if (share !== undefined)
				segment(hot[bucket(share)], a, b);
			else
				segment(L[i + 2] ? gsl : isl, a, b);
			if (L[i + 2])
				ngsl++;
			else
				nisl++;
		}
		ctx.lineWidth = dpr * 0.8;
		ctx.strokeStyle = ISL_IDLE;
		ctx.stroke(isl);
		ctx.strokeStyle = GSL_IDLE;
		ctx.stroke(gsl);
		ctx.lineWidth = dpr * 2;
		hot.forEach((p, i) => {
			ctx.strokeStyle = LOAD_COLOURS[i];
			ctx.stroke(p);
		});
		// links down by fault: dashed red
		const fl = st.fault_links, down = new Path2D();
		for (let i = 0; i < fl.length; i += 3)
			if (fl[i + 2])
				segment(down, fl[i], fl[i + 1]);
		ctx.setLineDash([4 * dpr, 3 * dpr]);
		ctx.strokeStyle = '#ff5252';
		ctx.lineWidth = dpr * 1.5;
		ctx.stroke(down);
		ctx.setLineDash([]);
		// satellites: up in white, down by fault in red
		const s = st.state, r = Math.max(1, Math.round(dpr * 1.5));
		let shown = 0;
		ctx.fillStyle = '#e5ecff';
		for (let v = 0; v < nsat; v++) {
			if (s[v] !== 0)
				continue;
			ctx.fillRect(xy[2 * v] - r / 2, xy[2 * v + 1] - r / 2, r, r);
			shown++;
		}
		ctx.fillStyle = '#ff5252';
		for (let v = 0; v < nsat; v++) {
			if (s[v] !== 1)
				continue;
			ctx.fillRect(xy[2 * v] - r, xy[2 * v + 1] - r, 2 * r,
				     2 * r);
			shown++;
		}
		// ground stations
		let ngs = 0;
		for (let v = nsat; v < n; v++) {
			if (s[v] === 2)
				continue;
			ctx.fillStyle = s[v] ? '#ff5252' : '#7ee0a0';
			ctx.fillRect(xy[2 * v] - 3 * dpr, xy[2 * v + 1] - 3 * dpr,
				     6 * dpr, 6 * dpr);
			ngs++;
		}
		drawPath();
		// tapped nodes: a ring and the name
		ctx.font = `${11 * dpr}px system-ui, sans-serif`;
		ctx.lineWidth = dpr * 1.5;
		for (const v of tapped) {
			const x = xy[2 * v], y = xy[2 * v + 1];
			ctx.strokeStyle = '#ffd54f';
			ctx.beginPath();
			ctx.arc(x, y, 6 * dpr, 0, 2 * Math.PI);
			ctx.stroke();
			ctx.fillStyle = '#ffd54f';
			ctx.fillText(names[v], x + 8 * dpr, y - 6 * dpr);
		}
		const ms = performance.now() - t0;
		view.frames++;
		view.frameMs = isNaN(view.frameMs) ? ms :
			0.8 * view.frameMs + 0.2 * ms;
		view.frameMsMax = Math.max(view.frameMsMax, ms);
		view.satellites = shown;
		view.groundStations = ngs;
		view.islUp = nisl;
		view.gslUp = ngsl;
		view.links = nisl + ngsl;
		$('frame').textContent = view.frameMs.toFixed(1);
	}

	function drawPath() {
		const p = view.path;
		if (!p || !p.path || p.path.length < 2)
			return;
		const line = new Path2D();
		for (let i = 0; i + 1 < p.path.length; i++)
			segment(line, index.get(p.path[i]),
				index.get(p.path[i + 1]));
		ctx.strokeStyle = '#ff4fd8';
		ctx.lineWidth = dpr * 3;
		ctx.stroke(line);
	}

	function text(id, v) {
		$(id).textContent = v;
	}

	function panel() {
		text('time', st.orbital.replace('T', ' ').replace('Z', ' UTC'));
		text('step', st.step);
		text('n-sat', view.satellites);
		text('n-gs', view.groundStations);
		text('n-isl', view.islUp);
		text('n-gsl', view.gslUp);
		let down = 0;
		for (let v = 0; v < st.state.length; v++)
			down += st.state[v] === 1;
		let ldown = 0;
		for (let i = 2; i < st.fault_links.length; i += 3)
			ldown += st.fault_links[i];
		text('n-down', down);
		text('n-ldown', ldown);
		counters(st.counters);
	}

	function counters(c) {
		const rows = [['frames read', c.rx_frames],
			['frames written', c.tx_frames],
			['hops', c.forwarded], ['delivered', c.delivered],
			['route changes', c.route_changes]];
		for (const k in c.drops)
			if (c.drops[k])
				rows.push(['dropped: ' + k, c.drops[k]]);
		const t = $('counters');
		t.replaceChildren(...rows.map(([k, v]) => {
			const tr = document.createElement('tr');
			tr.innerHTML = '<td></td><td></td>';
			tr.children[0].textContent = k;
			tr.children[1].textContent = v.toLocaleString('en');
			return tr;
		}));
	}

	async function getJSON(url, opts) {
		const r = await fetch(url, opts);
		const j = await r.json();
		if (!r.ok && j && j.error)
			throw new Error(j.error);
		return j;
	}

	// The current path between the two chosen tapped nodes.
	async function refreshPath() {
		const a = $('pa').value, b = $('pb').value;
		if (!a || !b || a === b) {
			view.path = null;
			text('rtt', '-');
			text('hops', '');
			text('path', '');
			return;
		}
		const p = await getJSON('/api/path?a=' + encodeURIComponent(a) +
					'&b=' + encodeURIComponent(b));
		view.path = p;
		text('rtt', p.rtt_ms === null ? 'unreachable' :
			p.rtt_ms.toFixed(3) + ' ms');
		text('hops', p.hops === null ? '' : `(${p.hops} hops)`);
		text('path', p.path.join(' \u2192 '));
	}

	// Fetch the state and the path, then draw; one at a time, the
	// latest step wins when steps come faster than we draw.
	async function refresh() {
		if (fetching) {
			again = true;
			return;
		}
		fetching = true;
		try {
			st = await getJSON('/api/state');
			place();
			loads();
			await refreshPath().catch((e) => text('path', e.message));
			draw();
			panel();
			view.step = st.step;
			view.orbital_t = st.orbital_t;
			view.orbital = st.orbital;
			view.ready = true;
		} catch (e) {
			text('time', 'error: ' + e.message);
		}
		fetching = false;
		if (again) {
			again = false;
			refresh();
		}
	}

	// The satellite within 8 px of a canvas point (CSS px), or -1.
	function nearestNode(x, y) {
		let best = -1, bd = (8 * dpr) ** 2;
		for (let v = 0; v < nsat; v++) {
			if (st.state[v] === 2)
				continue;
			const d = (xy[2 * v] - x) ** 2 + (xy[2 * v + 1] - y) ** 2;
			if (d < bd) {
				bd = d;
				best = v;
			}
		}
		return best;
	}

	function distSeg(x, y, a, b) {
		const x1 = xy[2 * a], y1 = xy[2 * a + 1];
		const x2 = xy[2 * b], y2 = xy[2 * b + 1];
		const dx = x2 - x1, dy = y2 - y1, l = dx * dx + dy * dy;
		if (Math.abs(dx) > W / 2)
			return Infinity;
		const t = l ? Math.max(0, Math.min(1, ((x - x1) * dx +
				(y - y1) * dy) / l)) : 0;
		return Math.hypot(x - x1 - t * dx, y - y1 - t * dy);
	}

	// The laser link (up, or down by fault) within 5 px, or null.
	function nearestLink(x, y) {
		let best = null, bd = 5 * dpr;
		const L = st.links, fl = st.fault_links;
		for (let i = 0; i < L.length; i += 3) {
			if (L[i + 2])
				continue;
			const d = distSeg(x, y, L[i], L[i + 1]);
			if (d < bd) {
				bd = d;
				best = { a: L[i], b: L[i + 1], down: false };
			}
		}
		for (let i = 0; i < fl.length; i += 3) {
			if (!fl[i + 2] || fl[i] >= nsat || fl[i + 1] >= nsat)
				continue;
			const d = distSeg(x, y, fl[i], fl[i + 1]);
			if (d < bd) {
				bd = d;
				best = { a: fl[i], b: fl[i + 1], down: true };
			}
		}
		return best;
	}

	// A click at (x, y) in CSS px of the canvas: a satellite goes down
	// (or up when down), else a laser link. Resolves to what was sent
	// and the run's answer; null when nothing is there.
	async function clickAt(x, y) {
		if (!view.control || !st)
			return null;
		x *= dpr;
		y *= dpr;
		let cmd = null;
		const v = nearestNode(x, y);
		if (v >= 0) {
			cmd = (st.state[v] === 1 ? 'up' : 'down') + ' node ' +
				names[v];
		} else {
			const l = nearestLink(x, y);
			if (l)
				cmd = (l.down ? 'up' : 'down') + ' link ' +
					names[l.a] + ' ' + names[l.b];
		}
		if (!cmd)
			return null;
		let answer;
		try {
			answer = await getJSON('/api/ctl', {
				method: 'POST',
				headers: { 'X-Lasermesh': 'ctl',
					   'Content-Type': 'text/plain' },
				body: cmd,
			});
		} catch (e) {
			answer = { ok: false, error: e.message };
		}
		view.lastCtl = { cmd, answer };
		text('ctl-msg', answer.ok ?
			`${cmd}: in force from step ${answer.from_step}` :
			`${cmd}: ${answer.error}`);
		return view.lastCtl;
	}

	// Where node NAME is drawn, in CSS px of the canvas (for tests).
	function screenOf(name) {
		const v = index.get(name);
		if (v === undefined || !xy)
			return null;
		return [xy[2 * v] / dpr, xy[2 * v + 1] / dpr];
	}

	view.clickAt = clickAt;
	view.screenOf = screenOf;
	// 0 up, 1 down by fault, 2 cannot be placed (for tests)
	view.stateOf = (name) => st ? st.state[index.get(name)] : undefined;
	view.redraw = draw;

	canvas.addEventListener('click', (e) => {
		const r = canvas.getBoundingClientRect();
		clickAt(e.clientX - r.left, e.clientY - r.top);
	});

	function legend() {
		const el = $('legend');
		const items = [[ISL_IDLE, 'laser, idle'], [GSL_IDLE, 'ground']]
			.concat(LOAD_COLOURS.map((c, i) => [c, LOAD_NAMES[i]]));
		for (const [c, t] of items) {
			const d = document.createElement('div');
			d.innerHTML = '<span></span>';
			d.firstChild.style.background = c;
			d.append(t);
			el.append(d);
		}
	}

	async function start() {
		legend();
		try {
			const topo = await getJSON('/vendor/land-110m.json');
			land = topojson.feature(topo, topo.objects.land);
		} catch (e) {
			land = null;	// the map without coastlines
		}
		const s0 = await getJSON('/api/state?names=1');
		names = s0.names;
		names.forEach((nm, i) => index.set(nm, i));
		// ground stations first: their path is the one to see
		tapped = s0.tapped.filter((v) => v >= s0.satellites)
			.concat(s0.tapped.filter((v) => v < s0.satellites));
		nsat = s0.satellites;
		view.control = s0.control;
		view.tapped = tapped.map((v) => names[v]);
		$('ctl').hidden = !s0.control;
		for (const id of ['pa', 'pb']) {
			const sel = $(id);
			for (const v of tapped) {
				const o = document.createElement('option');
				o.value = o.textContent = names[v];
				sel.append(o);
			}
			sel.addEventListener('change', refresh);
		}
		if (tapped.length > 1)
			$('pb').selectedIndex = 1;
		project();
		window.addEventListener('resize', () => {
			project();
			draw();
		});
		const es = new EventSource('/api/events');
		es.addEventListener('step', (e) => {
			const ev = JSON.parse(e.data);
			$('live').className = 'on';
			text('live', 'live');
			if (ev.step !== view.step)
				refresh();
		});
		es.onerror = () => {
			$('live').className = 'off';
			text('live', 'disconnected');
		};
		refresh();
	}

	start().catch((e) => text('time', 'error: ' + e.message));
})();
