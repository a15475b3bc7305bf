//! A libp2p transport over the standard WebSocket API (`globalThis.WebSocket`: a page, a
//! Web Worker, Node.js ≥ 22), dial only.
//!
//! - `binaryType = "arraybuffer"`; every message's bytes are queued for `poll_read`.
//! - Writes are gathered and go to `WebSocket.send` as one message in a microtask queued by the
//!   first of them: yamux and noise flush after every frame, and a particle is several frames
//!   (stream open, protocol, data, close), so the frames one task writes become one message (a
//!   hello round trip: 6 sends → 4, fewer messages for the relay to read). `poll_flush` is
//!   ready at once: the bytes are the socket's (sent before any later task runs). Backpressure: while `bufferedAmount` plus the gathered bytes is above
//!   [`MAX_BUFFERED`], writes wait; only then a short timer re-checks it (the API has no
//!   "drained" event), so an idle connection has no timer at all. Everything else is woken by
//!   the socket's own events.
//! - The dial resolves on `open`, and fails on `error` / `close` before it with the close
//!   code and reason; a constructor that throws or a bad URL fails the dial, never panics.
//! - The constructor is the runtime's `globalThis.WebSocket` or `config.WebSocket` (e.g.
//!   the `ws` package's on an older Node.js); events are read structurally.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use futures::{AsyncRead, AsyncWrite, FutureExt};
use js_sys::{Array, ArrayBuffer, Function, Reflect, Uint8Array};
use libp2p::core::transport::{DialOpts, ListenerId, TransportError, TransportEvent};
use libp2p::Multiaddr;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, WebSocket};

#[wasm_bindgen]
extern "C" {
    /// `globalThis.queueMicrotask` (pages, workers, Node.js).
    #[wasm_bindgen(js_name = queueMicrotask)]
    fn queue_microtask(callback: &JsValue);
}

/// Bytes the socket may hold unsent before writes wait.
pub const MAX_BUFFERED: u32 = 4 * 1024 * 1024;

/// How often a write that waits for `bufferedAmount` to fall re-checks it (only then).
const DRAIN_CHECK_MS: u32 = 4;

/// The transport (dial only), over one WebSocket constructor (`globalThis.WebSocket` or
/// the config's).
pub struct Transport {
    constructor: SendWrapper<Function>,
}

impl Transport {
    /// A transport whose connections are `new constructor(url)`.
    pub fn new(constructor: Function) -> Self {
        Transport {
            constructor: SendWrapper::new(constructor),
        }
    }
}

impl libp2p::Transport for Transport {
    type Output = Connection;
    type Error = io::Error;
    type ListenerUpgrade = futures::future::Ready<Result<Connection, io::Error>>;
    type Dial = Pin<Box<dyn Future<Output = Result<Connection, io::Error>> + Send>>;

    fn listen_on(
        &mut self,
        _: ListenerId,
        addr: Multiaddr,
    ) -> Result<(), TransportError<io::Error>> {
        Err(TransportError::MultiaddrNotSupported(addr))
    }

    fn remove_listener(&mut self, _: ListenerId) -> bool {
        false
    }

    fn dial(
        &mut self,
        addr: Multiaddr,
        opts: DialOpts,
    ) -> Result<Self::Dial, TransportError<io::Error>> {
        if opts.role.is_listener() {
            return Err(TransportError::MultiaddrNotSupported(addr));
        }
        let Some(url) = fluence_net::websocket_url(&addr) else {
            return Err(TransportError::MultiaddrNotSupported(addr));
        };
        let conn = Connection::open(&self.constructor, &url);
        Ok(async move {
            let mut conn = conn?;
            futures::future::poll_fn(|cx| conn.poll_open(cx)).await?;
            Ok(conn)
        }
        .boxed())
    }

    fn poll(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<TransportEvent<Self::ListenerUpgrade, io::Error>> {
        Poll::Pending
    }
}

#[derive(Debug, Clone, PartialEq)]
enum SocketState {
    Connecting,
    Open,
    Closed(String),
}

struct Shared {
    state: SocketState,
    received: VecDeque<Vec<u8>>,
    /// Bytes of the front message already read.
    read_offset: usize,
    read_waker: Option<Waker>,
    open_waker: Option<Waker>,
    write_waker: Option<Waker>,
    /// Written bytes not yet given to `WebSocket.send`.
    out: Vec<u8>,
    /// A microtask that sends `out` is queued.
    send_queued: bool,
}

impl Shared {
    fn wake_all(&mut self) {
        for w in [
            self.read_waker.take(),
            self.open_waker.take(),
            self.write_waker.take(),
        ]
        .into_iter()
        .flatten()
        {
            w.wake();
        }
    }
}

struct Inner {
    socket: WebSocket,
    shared: Rc<RefCell<Shared>>,
    /// Re-checks `bufferedAmount` while a write waits for it.
    drain_timer: Option<gloo_timers::callback::Timeout>,
    _handlers: [Closure<dyn FnMut(JsValue)>; 4],
}

/// One WebSocket connection as a byte stream.
pub struct Connection {
    inner: SendWrapper<Inner>,
}

fn js_error(what: &str, e: &JsValue) -> io::Error {
    io::Error::other(format!("{what}: {}", crate::convert::describe(e)))
}

impl Connection {
    fn open(constructor: &Function, url: &str) -> Result<Connection, io::Error> {
        // Any object with the standard WebSocket's members will do (web-sys' bindings are
        // structural): the global one, or e.g. the `ws` package's.
        let socket: WebSocket = Reflect::construct(constructor, &Array::of1(&url.into()))
            .map_err(|e| js_error(&format!("WebSocket({url})"), &e))?
            .unchecked_into();
        socket.set_binary_type(BinaryType::Arraybuffer);
        let shared = Rc::new(RefCell::new(Shared {
            state: SocketState::Connecting,
            received: VecDeque::new(),
            read_offset: 0,
            read_waker: None,
            open_waker: None,
            write_waker: None,
            out: Vec::new(),
            send_queued: false,
        }));
        let on = |f: Box<dyn FnMut(JsValue)>| Closure::wrap(f);
        let s = shared.clone();
        let on_open = on(Box::new(move |_| {
            let mut s = s.borrow_mut();
            if s.state == SocketState::Connecting {
                s.state = SocketState::Open;
            }
            s.wake_all();
        }));
        let s = shared.clone();
        let on_message = on(Box::new(move |ev: JsValue| {
            // Read structurally: a WebSocket from a package may not dispatch `MessageEvent`s.
            let data = Reflect::get(&ev, &JsValue::from_str("data")).unwrap_or_default();
            let Ok(buf) = data.dyn_into::<ArrayBuffer>() else {
                return; // text frames are not part of the protocol
            };
            let mut s = s.borrow_mut();
            s.received.push_back(Uint8Array::new(&buf).to_vec());
            if let Some(w) = s.read_waker.take() {
                w.wake();
            }
            // Activity on the socket: a waiting write may re-check bufferedAmount too.
            if let Some(w) = s.write_waker.take() {
                w.wake();
            }
        }));
        let s = shared.clone();
        let on_error = on(Box::new(move |_| {
            let mut s = s.borrow_mut();
            if !matches!(s.state, SocketState::Closed(_)) {
                s.state = SocketState::Closed("WebSocket error".into());
            }
            s.wake_all();
        }));
        let s = shared.clone();
        let on_close = on(Box::new(move |ev: JsValue| {
            let field = |name: &str| Reflect::get(&ev, &JsValue::from_str(name)).ok();
            let code = field("code").and_then(|c| c.as_f64());
            let text = field("reason")
                .and_then(|r| r.as_string())
                .unwrap_or_default();
            let reason = match code {
                Some(c) if text.is_empty() => format!("closed (code {c})"),
                Some(c) => format!("closed (code {c}: {text})"),
                None => "closed".into(),
            };
            let mut s = s.borrow_mut();
            match &s.state {
                SocketState::Closed(first) if first != "WebSocket error" => {}
                SocketState::Closed(_) => {
                    s.state = SocketState::Closed(format!("WebSocket error, {reason}"))
                }
                _ => s.state = SocketState::Closed(reason),
            }
            s.wake_all();
        }));
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Connection {
            inner: SendWrapper::new(Inner {
                socket,
                shared,
                drain_timer: None,
                _handlers: [on_open, on_message, on_error, on_close],
            }),
        })
    }

    fn poll_open(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let mut s = self.inner.shared.borrow_mut();
        match &s.state {
            SocketState::Open => Poll::Ready(Ok(())),
            SocketState::Closed(reason) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::ConnectionRefused,
                reason.clone(),
            ))),
            SocketState::Connecting => {
                s.open_waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }

    /// Gives the gathered bytes to `WebSocket.send` (one message); a failure closes the
    /// connection with its reason.
    fn send_out(socket: &WebSocket, shared: &RefCell<Shared>) {
        let mut out = {
            let mut s = shared.borrow_mut();
            s.send_queued = false;
            if s.out.is_empty() || matches!(s.state, SocketState::Closed(_)) {
                s.out.clear();
                return;
            }
            std::mem::take(&mut s.out)
        };
        // Not borrowed while the socket runs: a socket object from a package might call back.
        let sent = socket.send_with_u8_array(&out);
        let mut s = shared.borrow_mut();
        if let Err(e) = sent {
            s.state =
                SocketState::Closed(format!("WebSocket.send: {}", crate::convert::describe(&e)));
            s.wake_all();
        }
        // Keep the allocation for the next batch.
        if s.out.is_empty() {
            out.clear();
            s.out = out;
        }
    }

    fn closed_error(reason: &str) -> io::Error {
        let message = if reason.starts_with("WebSocket") {
            reason.to_string()
        } else {
            format!("WebSocket {reason}")
        };
        io::Error::new(io::ErrorKind::BrokenPipe, message)
    }
}

impl AsyncRead for Connection {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let mut s = this.inner.shared.borrow_mut();
        let offset = s.read_offset;
        if let Some(front) = s.received.front() {
            let n = (front.len() - offset).min(buf.len());
            buf[..n].copy_from_slice(&front[offset..offset + n]);
            if offset + n == front.len() {
                s.received.pop_front();
                s.read_offset = 0;
            } else {
                s.read_offset += n;
            }
            return Poll::Ready(Ok(n));
        }
        match s.state {
            SocketState::Closed(_) => Poll::Ready(Ok(0)),
            _ => {
                s.read_waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let inner = &mut *this.inner;
        {
            let mut s = inner.shared.borrow_mut();
            match &s.state {
                SocketState::Closed(reason) => return Poll::Ready(Err(Self::closed_error(reason))),
                SocketState::Connecting => {
                    s.open_waker = Some(cx.waker().clone());
                    return Poll::Pending;
                }
                SocketState::Open => {}
            }
            if inner.socket.buffered_amount() as usize + s.out.len() > MAX_BUFFERED as usize {
                s.write_waker = Some(cx.waker().clone());
                drop(s);
                if inner.drain_timer.is_none() {
                    let shared = inner.shared.clone();
                    inner.drain_timer = Some(gloo_timers::callback::Timeout::new(
                        DRAIN_CHECK_MS,
                        move || {
                            if let Some(w) = shared.borrow_mut().write_waker.take() {
                                w.wake();
                            }
                        },
                    ));
                }
                return Poll::Pending;
            }
        }
        inner.drain_timer = None;
        let mut s = inner.shared.borrow_mut();
        s.out.extend_from_slice(buf);
        if !s.send_queued {
            s.send_queued = true;
            let (socket, shared) = (inner.socket.clone(), inner.shared.clone());
            // Runs once; it holds its own references, so it is safe after the connection
            // is dropped (Drop sends what is gathered first, so it then finds nothing).
            queue_microtask(&Closure::once_into_js(move || {
                Self::send_out(&socket, &shared)
            }));
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        // What was written is the socket's to send.
        match &self.inner.shared.borrow().state {
            SocketState::Closed(reason) => Poll::Ready(Err(Self::closed_error(reason))),
            _ => Poll::Ready(Ok(())),
        }
    }

    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Self::send_out(&self.inner.socket, &self.inner.shared);
        let _ = self.inner.socket.close();
        Poll::Ready(Ok(()))
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        let socket = &self.inner.socket;
        Self::send_out(socket, &self.inner.shared);
        socket.set_onopen(None);
        socket.set_onmessage(None);
        socket.set_onerror(None);
        socket.set_onclose(None);
        let _ = socket.close();
    }
}
