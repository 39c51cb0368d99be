// SPDX-License-Identifier: MIT
// check.js - the web view in a real browser (Debian's chromium, headless,
// driven by playwright-core): what the page shows against lasermesh's own
// commands. Used by tests/e2e_web.sh; prints one "ok"/"not ok" line per
// check and a "figures" line; exits 1 when a check failed, 2 when it
// could not run.
//
// usage: node tests/web/check.js --url URL --lasermesh BIN [--config FILE]
//        [--pid PID] [--control] [--screenshot FILE.png] [--wait S]
'use strict';

const { execFileSync } = require('child_process');
const path = require('path');

const args = {};
for (let i = 2; i < process.argv.length; i++) {
	const k = process.argv[i].replace(/^--/, '');
	const flag = ['control'].includes(k);
	args[k] = flag ? true : process.argv[++i];
}
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const RTT_TOL_NS = 100000;	// 0.1 ms
let failed = 0;

function ok(cond, what) {
	console.log(`${cond ? 'ok' : 'not ok'} - ${what}`);
	if (!cond)
		failed++;
	return cond;
}

// Run lasermesh with the configuration given (none: the embedded one).
function lm(...a) {
	const cmd = a[0], rest = a.slice(1);
	const argv = args.config ? [cmd, args.config, ...rest] : [cmd, ...rest];
	return execFileSync(args.lasermesh, argv, { encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
}

// A time after the epoch in whole microseconds: step times stay exact.
const at = (t) => `${Math.round(t * 1e6)}us`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
	let pw;
	try {
		pw = require(path.join(__dirname, '../../emu/web/node_modules/' +
				       'playwright-core'));
	} catch (e) {
		console.error('check.js: no playwright-core (npm ci in emu/web)');
		process.exit(2);
	}
	const browser = await pw.chromium.launch({ executablePath: CHROMIUM,
		headless: true, args: ['--no-sandbox'] });
	try {
		await checks(browser);
	} finally {
		await browser.close();
	}
}

async function checks(browser) {
	const page = await browser.newPage({ viewport: { width: 1600,
							 height: 900 } });
	const errors = [];
	page.on('pageerror', (e) => errors.push(e.message));
	await page.goto(args.url);
	await page.waitForFunction(() => window.lasermeshView &&
		window.lasermeshView.ready && window.lasermeshView.path,
		null, { timeout: 30000 });
	ok(true, 'the page loads and draws a step');
	await sleep(1000 * Number(args.wait || 0));

	// 1. satellites and links as `lasermesh topo` at the page's step
	const v = await page.evaluate(() => {
		const w = window.lasermeshView;
		return { step: w.step, t: w.orbital_t, sats: w.satellites,
			 links: w.links, isl: w.islUp, gsl: w.gslUp,
			 tapped: w.tapped };
	});
	const topo = JSON.parse(lm('topo', '--at', at(v.t), '--format',
				   'json'));
	const tsats = topo.nodes.filter((n) => n.kind === 'satellite').length;
	const tisl = topo.links.filter((l) => l.kind === 'isl').length;
	ok(v.sats === tsats, `satellites shown at t=${v.t} s (step ` +
	   `${v.step}): page ${v.sats}, topo ${tsats}`);
	ok(v.links === topo.links.length, `links shown: page ${v.links} ` +
	   `(${v.isl} laser), topo ${topo.links.length} (${tisl} laser)`);

	// 2. the path and RTT between the first two tapped nodes
	let p, want, shown, same = false;
	for (let tries = 0; tries < 3 && !same; tries++) {
		await page.evaluate(() => window.lasermeshView.path = null);
		await page.waitForFunction(() => window.lasermeshView.path,
					   null, { timeout: 10000 });
		// the path and the text shown, in one turn of the page
		[p, shown] = await page.evaluate(() => [
			window.lasermeshView.path,
			document.getElementById('rtt').textContent]);
		const out = JSON.parse(lm('path', p.a, p.b, '--from',
					  at(p.orbital_t), '--format', 'json'));
		want = out.samples[0];
		// a route change between the two reads: ask again
		same = want.path.join(' ') === p.path.join(' ');
	}
	ok(same, `path ${p.a} -> ${p.b} at t=${p.orbital_t} s: page ` +
	   `${p.path.join(' ')}; path ${want.path.join(' ')}`);
	ok(want.rtt_ns !== null && p.rtt_ns !== null &&
	   Math.abs(p.rtt_ns - want.rtt_ns) <= RTT_TOL_NS,
	   `RTT ${p.a} -> ${p.b}: page ${p.rtt_ns} ns, path ` +
	   `${want.rtt_ns} ns (within ${RTT_TOL_NS} ns)`);
	ok(shown === (p.rtt_ns / 1e6).toFixed(3) + ' ms',
	   `the page shows the RTT: "${shown}"`);

	// 3. orbital time advances
	const t1 = await page.evaluate(() => window.lasermeshView.orbital_t);
	await sleep(1500);
	const t2 = await page.evaluate(() => window.lasermeshView.orbital_t);
	ok(t2 > t1, `orbital time advances: ${t1} s, then ${t2} s`);

	if (args.screenshot) {
		await page.screenshot({ path: args.screenshot });
		console.log(`# screenshot ${args.screenshot}`);
	}
	const fig = await page.evaluate(() => {
		const w = window.lasermeshView;
		return { frame_ms: w.frameMs, frame_ms_max: w.frameMsMax,
			 frames: w.frames, satellites: w.satellites,
			 links: w.links };
	});
	console.log('figures ' + JSON.stringify(fig));

	// 4. a click takes a satellite of the path down
	if (args.control) {
		const name = p.path[1];
		const xy = await page.evaluate((n) =>
			window.lasermeshView.screenOf(n), name);
		const box = await page.locator('#map').boundingBox();
		await page.mouse.click(box.x + xy[0], box.y + xy[1]);
		await page.waitForFunction(() => window.lasermeshView.lastCtl,
					   null, { timeout: 10000 });
		const c = await page.evaluate(() =>
			window.lasermeshView.lastCtl);
		ok(c.cmd === `down node ${name}` && c.answer.ok,
		   `a click on ${name}: sent "${c.cmd}", answer ` +
		   JSON.stringify(c.answer));
		let down = [];
		for (let i = 0; i < 30; i++) {
			const st = JSON.parse(execFileSync(args.lasermesh,
				['ctl', String(args.pid), 'status'],
				{ encoding: 'utf8' }));
			down = st.faults.nodes_down;
			if (down.includes(name))
				break;
			await sleep(200);
		}
		ok(down.includes(name), `lasermesh ctl status lists ${name} ` +
		   `down: [${down.join(', ')}]`);
		// the page draws it down; a second click brings it up
		let shownDown = true;
		await page.waitForFunction((n) =>
			window.lasermeshView.stateOf(n) === 1, name,
			{ timeout: 10000 }).catch(() => shownDown = false);
		ok(shownDown, `the page shows ${name} down`);
		await page.evaluate(() => window.lasermeshView.lastCtl = null);
		await page.mouse.click(box.x + xy[0], box.y + xy[1]);
		await page.waitForFunction(() => window.lasermeshView.lastCtl,
					   null, { timeout: 10000 });
		const c2 = await page.evaluate(() =>
			window.lasermeshView.lastCtl);
		ok(c2.cmd === `up node ${name}` && c2.answer.ok,
		   `a second click on ${name}: sent "${c2.cmd}"`);
		for (let i = 0; i < 30; i++) {
			const st = JSON.parse(execFileSync(args.lasermesh,
				['ctl', String(args.pid), 'status'],
				{ encoding: 'utf8' }));
			down = st.faults.nodes_down;
			if (!down.includes(name))
				break;
			await sleep(200);
		}
		ok(!down.includes(name), `lasermesh ctl status: ${name} up ` +
		   `again, down: [${down.join(', ')}]`);
	}
	ok(errors.length === 0, `no script errors in the page: ` +
	   JSON.stringify(errors));
}

main().then(() => process.exit(failed ? 1 : 0), (e) => {
	console.error('check.js: ' + (e.stack || e));
	process.exit(2);
});
