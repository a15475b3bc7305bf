// The secret chat demo (www/) as people use it: the demo launcher (scripts/demo.mjs)
// serves the page and starts the relay; Alice and Bob are two pages in headless Chromium
// driven by Playwright. Screenshots go to tests/output/demo/ (not committed).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { startRelay } from "../../scripts/relay-process.mjs";
import { launchChromium, root, serveRepo } from "../browser/harness.mjs";

const shots = join(root, "tests", "output", "demo");
let browser;

before(async () => {
  await mkdir(shots, { recursive: true });
  browser = await launchChromium();
});
after(() => browser?.close());

/** Starts `node scripts/demo.mjs` on free ports; resolves with { url, relay, child, lines }. */
function startDemo() {
  const child = spawn("node", [join(root, "scripts", "demo.mjs"), "--port", "0", "--ws-port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines = [];
  createInterface({ input: child.stderr }).on("line", (l) => lines.push(l));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo printed no URL: ${lines.join("\n")}`)), 20_000);
    child.once("exit", (code) => reject(new Error(`demo exited with ${code}: ${lines.join("\n")}`)));
    const out = createInterface({ input: child.stdout });
    let relay;
    out.on("line", (l) => {
      lines.push(l);
      const r = l.match(/^\s+relay:\s+(\S+)/);
      if (r) relay = r[1];
      const u = l.match(/(http:\/\/127\.0\.0\.1:\d+\/www\/)/);
      if (u) {
        clearTimeout(timer);
        resolve({ url: u[1], relay, child, lines });
      }
    });
  });
}

/** Opens the chat; resolves with { page, peerId } once it shows "connected". */
async function openChat(url, name) {
  const page = await browser.newPage({ viewport: { width: 420, height: 760 } });
  page.on("pageerror", (e) => console.error(`${name}: page error:`, e));
  await page.goto(url);
  await page.waitForSelector('#state[data-state="connected"]', { timeout: 30_000 });
  const peerId = await page.textContent("#my-peer-id");
  assert.match(peerId, /^12D3KooW/);
  return { page, peerId, name };
}

async function write(from, to, text) {
  await from.page.fill("#peer", to.peerId);
  await from.page.fill("#text", text);
  await from.page.click("#send");
}

const mine = (who, text) => who.page.locator("li.message.mine", { hasText: text });
const theirs = (who, text) => who.page.locator("li.message.theirs", { hasText: text });

async function delivered(who, text) {
  await mine(who, text).and(who.page.locator('[data-state="delivered"]')).waitFor({ timeout: 15_000 });
}

test("the demo: Alice and Bob chat both ways with delivery marks; a message to an offline peer ends not delivered; Ctrl-C stops it", async () => {
  const demo = await startDemo();
  try {
    assert.match(demo.relay, /^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/ws\/p2p\/12D3KooW/);
    // The default relay is the demo's own (no ?relay= given).
    const alice = await openChat(`${demo.url}?ttl=4000`, "alice");
    const bob = await openChat(`${demo.url}?ttl=4000`, "bob");
    assert.equal(await alice.page.textContent("#relay-addr"), demo.relay);

    await write(alice, bob, "Hello");
    await theirs(bob, "Hello").waitFor({ timeout: 15_000 });
    await delivered(alice, "Hello");
    // Bob's "Talk to" was filled with Alice's id by her first message: he just answers.
    assert.equal(await bob.page.inputValue("#peer"), alice.peerId);
    await bob.page.fill("#text", "Hi Alice!");
    await bob.page.click("#send");
    await theirs(alice, "Hi Alice!").waitFor({ timeout: 15_000 });
    await delivered(bob, "Hi Alice!");
    // One id for the whole interaction: Alice's message has the same id on both pages.
    const idA = await mine(alice, "Hello").getAttribute("data-id");
    const idB = await theirs(bob, "Hello").getAttribute("data-id");
    assert.equal(idA, idB);
    await alice.page.screenshot({ path: join(shots, "1-alice.png"), fullPage: true });
    await bob.page.screenshot({ path: join(shots, "2-bob.png"), fullPage: true });

    // Nothing stored in either browser.
    for (const who of [alice, bob]) {
      const stored = await who.page.evaluate(async () => ({
        local: localStorage.length,
        session: sessionStorage.length,
        cookies: document.cookie,
        idb: (await indexedDB.databases()).length,
      }));
      assert.deepEqual(stored, { local: 0, session: 0, cookies: "", idb: 0 }, who.name);
    }

    // Bob leaves: Alice's next message expires without a receipt.
    await bob.page.close();
    await write(alice, bob, "Are you there?");
    await mine(alice, "Are you there?").and(alice.page.locator('[data-state="sending"]')).waitFor();
    await mine(alice, "Are you there?")
      .and(alice.page.locator('[data-state="not-delivered"]'))
      .waitFor({ timeout: 15_000 });
    assert.match(await alice.page.textContent("#notice"), /offline/);
    await alice.page.screenshot({ path: join(shots, "3-alice-peer-offline.png"), fullPage: true });

    // A shared link (?peer=<id>) opens the chat with "Talk to" filled in.
    const invited = await openChat(`${demo.url}?peer=${alice.peerId}`, "carol");
    assert.equal(await invited.page.inputValue("#peer"), alice.peerId);
    await invited.page.close();

    // A bad peer id is refused before anything is sent.
    await alice.page.fill("#peer", "not-a-peer-id");
    await alice.page.fill("#text", "x");
    assert.equal(await alice.page.isDisabled("#send"), true);
    assert.match(await alice.page.textContent("#peer-error"), /not a peer id/);
    await alice.page.close();
  } finally {
    // Ctrl-C: the launcher stops the relay and the server and exits 0.
    const exit = new Promise((r) => demo.child.once("exit", (code) => r(code)));
    demo.child.kill("SIGINT");
    assert.equal(await exit, 0, demo.lines.join("\n"));
  }
  assert.ok(demo.lines.includes("demo: stopped"), demo.lines.join("\n"));
  const port = Number(demo.relay.split("/tcp/")[1].split("/")[0]);
  const refused = await fetch(`http://127.0.0.1:${port}/`).then(() => false, () => true);
  assert.ok(refused, "the relay still listens after Ctrl-C");
});

test("the chat recovers when the relay is killed and restarted (?relay=<multiaddr>)", async () => {
  const secretKey = randomBytes(32).toString("base64");
  let relay = await startRelay({ secretKey });
  const server = await serveRepo();
  try {
    const url = `${server.url}/www/?relay=${encodeURIComponent(relay.addr)}&ttl=8000`;
    const alice = await openChat(url, "alice");
    const bob = await openChat(url, "bob");
    await write(alice, bob, "before the outage");
    await delivered(alice, "before the outage");

    await relay.kill();
    for (const who of [alice, bob]) {
      await who.page.waitForSelector('#state[data-state="reconnecting"]', { timeout: 15_000 });
    }
    await alice.page.screenshot({ path: join(shots, "4-alice-reconnecting.png"), fullPage: true });
    relay = await startRelay({ wsPort: relay.port, secretKey });
    for (const who of [alice, bob]) {
      await who.page.waitForSelector('#state[data-state="connected"]', { timeout: 30_000 });
    }
    await write(alice, bob, "after the outage");
    await theirs(bob, "after the outage").waitFor({ timeout: 15_000 });
    await delivered(alice, "after the outage");
    await bob.page.fill("#text", "back online");
    await bob.page.click("#send");
    await delivered(bob, "back online");
    await alice.page.screenshot({ path: join(shots, "5-alice-recovered.png"), fullPage: true });
    // Desktop width too.
    await alice.page.setViewportSize({ width: 1280, height: 800 });
    await alice.page.screenshot({ path: join(shots, "6-alice-desktop.png") });
  } finally {
    await server.close();
    await relay.stop();
  }
});
