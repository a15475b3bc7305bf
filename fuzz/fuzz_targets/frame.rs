//! The frame decoders: the incremental one over a byte buffer (`decode_frame`, as the
//! engine and the tests use it) and the stream reader the connection handler runs
//! (`read_frame`), fed in chunks whose sizes come from the input.
//!
//! Properties: no panic; every prefix of a complete frame is "need more bytes"; the stream
//! reader agrees with the buffer decoder; a decoded particle re-encodes to a frame that
//! decodes to the same particle.
#![no_main]

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use fluence_core::particle::{decode_frame, frame_header};
use fluence_net::wire::read_frame;
use futures::AsyncRead;
use libfuzzer_sys::fuzz_target;

/// Small, so that the fuzzer reaches the size check and complete frames alike.
const MAX: usize = 16 * 1024;

/// Hands out the input in chunks of 1..=`step` bytes.
struct Chunks<'a> {
    data: &'a [u8],
    step: usize,
}

impl AsyncRead for Chunks<'_> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Poll::Ready(Ok(n))
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((&step, data)) = input.split_first() else {
        return;
    };
    let whole = decode_frame(data, MAX);
    if let Ok(Some((p, used))) = &whole {
        for n in 0..*used {
            assert!(
                matches!(decode_frame(&data[..n], MAX), Ok(None)),
                "a prefix of {n} of {used} bytes is not 'need more'"
            );
        }
        let frame = p.to_frame();
        let (q, len) = decode_frame(&frame, usize::MAX)
            .expect("re-encoded frame decodes")
            .expect("re-encoded frame is complete");
        assert_eq!(len, frame.len());
        assert!(q == *p, "re-encoded particle differs");
        let _ = p.verify();
    }
    let mut reader = Chunks {
        data,
        step: usize::from(step % 64) + 1,
    };
    let read = futures::executor::block_on(read_frame(&mut reader, MAX));
    match (frame_header(data, MAX), &read) {
        (Ok(Some((h, len))), Ok(payload)) => {
            assert_eq!(payload.as_slice(), &data[h..h + len]);
        }
        (Ok(Some((h, len))), Err(_)) => {
            assert!(data.len() < h + len, "read_frame failed on a whole frame")
        }
        (Ok(None), r) => assert!(r.is_err(), "read_frame read a frame without a whole header"),
        (Err(_), r) => assert!(r.is_err(), "read_frame accepted a bad header"),
    }
    if matches!(whole, Ok(Some(_))) {
        assert!(read.is_ok(), "read_frame refused a frame decode_frame took");
    }
});
