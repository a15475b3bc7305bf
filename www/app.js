// The secret chat on fluence-client. Alice's sendMessage particle goes relay → Bob's
// Chat.receive (shown there) → relay → Alice's Chat.delivered (marked delivered); one
// message id all the way. Nothing is written anywhere: no storage, no cookies; the key
// pair is new on every load.
//
// URL parameters: ?relay=<multiaddr> (default: the demo's local relay, from relay.json),
// ?peer=<peer id> (fills "Talk to"), ?ttl=<ms> (how long a message may take, 15000).
import { Fluence } from "@fluencelabs/js-client";
import { registerChat, sendMessage } from "./chat.aqua.js";

const $ = (id) => document.getElementById(id);
const ui = {
  state: $("state"),
  me: $("my-peer-id"),
  copyId: $("copy-id"),
  copyLink: $("copy-link"),
  peer: $("peer"),
  peerError: $("peer-error"),
  notice: $("notice"),
  messages: $("messages"),
  composer: $("composer"),
  text: $("text"),
  send: $("send"),
  relay: $("relay-addr"),
};
const params = new URLSearchParams(location.search);
const ttl = Math.max(1000, Number(params.get("ttl")) || 15_000);
const shown = new Set(); // message ids on screen (a particle may be seen twice)
let myPeerId = null;

const short = (peerId) => `${peerId.slice(0, 8)}…${peerId.slice(-4)}`;
// Base58 PeerIds: Ed25519 ones are "12D3KooW…" (52 chars); older RSA/SHA-256 ones "Qm…".
const looksLikePeerId = (s) => /^(12D3KooW|Qm)[1-9A-HJ-NP-Za-km-z]{38,60}$/.test(s);

function setState(state) {
  ui.state.textContent = state;
  ui.state.dataset.state = state;
  document.body.dataset.connection = state;
}

function notice(text) {
  ui.notice.textContent = text ?? "";
  ui.notice.hidden = !text;
}

function addMessage({ id, from, text, mine }) {
  if (shown.has(id)) return null;
  shown.add(id);
  ui.messages.querySelector(".empty")?.remove();
  const li = document.createElement("li");
  li.className = `message ${mine ? "mine" : "theirs"}`;
  li.dataset.id = id;
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = mine ? "you" : short(from);
  who.title = mine ? myPeerId : from;
  const body = document.createElement("p");
  body.className = "text";
  body.textContent = text; // text, never HTML
  const meta = document.createElement("span");
  meta.className = "meta";
  const time = document.createElement("time");
  time.textContent = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  const status = document.createElement("span");
  status.className = "status";
  meta.append(time, status);
  li.append(who, body, meta);
  ui.messages.append(li);
  li.scrollIntoView({ block: "end" });
  setStatus(id, mine ? "sending" : "received");
  return li;
}

const statusText = {
  sending: "sending…",
  delivered: "delivered ✓✓",
  "not-delivered": "not delivered",
  received: "",
};

function setStatus(id, state, why) {
  const li = ui.messages.querySelector(`li[data-id="${CSS.escape(id)}"]`);
  if (!li || li.dataset.state === "delivered") return; // delivered is final
  li.dataset.state = state;
  const status = li.querySelector(".status");
  status.textContent = statusText[state];
  status.title = why ?? "";
}

function peerInput() {
  const peer = ui.peer.value.trim();
  const problem = !peer
    ? "Paste the peer id of the person to talk to."
    : !looksLikePeerId(peer)
      ? "That is not a peer id (they look like 12D3KooW… and have about 52 characters)."
      : null;
  ui.peerError.textContent = problem ?? "";
  ui.peerError.hidden = !problem || !peer;
  return problem ? null : peer;
}

function updateSend() {
  ui.send.disabled = myPeerId === null || !ui.text.value.trim() || peerInput() === null;
}

async function send() {
  const peer = peerInput();
  const text = ui.text.value.trim();
  if (!peer || !text || myPeerId === null) return;
  const id = crypto.randomUUID();
  addMessage({ id, from: myPeerId, text, mine: true });
  ui.text.value = "";
  updateSend();
  try {
    await sendMessage(peer, id, text, { ttl });
    setStatus(id, "delivered");
    notice(null);
  } catch (e) {
    if (e?.code === "TTL_EXPIRED") {
      setStatus(id, "not-delivered", "no receipt before the message expired");
      notice(
        `${short(peer)} seems to be offline: no receipt within ${ttl / 1000} s, so the message ` +
          "was dropped (nothing is stored anywhere). Send it again once they are here.",
      );
    } else {
      setStatus(id, "not-delivered", e?.message ?? String(e));
      notice(`Not delivered: ${e?.message ?? e}`);
    }
  }
}

async function copy(text, button) {
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch {
    // No clipboard permission: select the text so it can be copied by hand.
    const range = document.createRange();
    range.selectNodeContents(ui.me);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    button.textContent = "Select + copy";
  }
  setTimeout(() => (button.textContent = label), 1500);
}

function shareLink() {
  const url = new URL(location.href);
  url.search = "";
  if (params.get("relay")) url.searchParams.set("relay", params.get("relay"));
  url.searchParams.set("peer", myPeerId);
  return url.toString();
}

async function relayAddress() {
  if (params.get("relay")) return params.get("relay");
  const res = await fetch("relay.json", { cache: "no-store" });
  if (!res.ok) throw new Error("no ?relay=<multiaddr> given and no local relay (relay.json) found");
  return (await res.json()).multiaddr;
}

async function main() {
  ui.peer.value = params.get("peer") ?? "";
  ui.peer.addEventListener("input", updateSend);
  ui.text.addEventListener("input", updateSend);
  ui.composer.addEventListener("submit", (e) => {
    e.preventDefault();
    send();
  });
  ui.copyId.addEventListener("click", () => copy(myPeerId, ui.copyId));
  ui.copyLink.addEventListener("click", () => copy(shareLink(), ui.copyLink));

  let relay;
  try {
    relay = await relayAddress();
    ui.relay.textContent = relay;
    setState("connecting");
    await Fluence.connect(relay, { defaultTtlMs: ttl });
  } catch (e) {
    setState("disconnected");
    notice(`Cannot connect to the relay ${relay ?? ""}: ${e?.message ?? e}`);
    return;
  }
  const client = Fluence.getClient();
  client.onConnectionStateChange(setState);
  setState(client.connectionState);
  myPeerId = client.getPeerId();
  ui.me.textContent = myPeerId;
  ui.copyId.disabled = false;
  ui.copyLink.disabled = false;

  registerChat({
    receive(msgId, from, text) {
      addMessage({ id: msgId, from, text, mine: false });
      // Answer whoever writes first, unless already talking to someone.
      if (!ui.peer.value.trim()) ui.peer.value = from;
      updateSend();
      return true;
    },
    delivered(msgId) {
      setStatus(msgId, "delivered");
    },
  });
  updateSend();
  (ui.peer.value ? ui.text : ui.peer).focus();
}

main();
