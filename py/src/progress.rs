//! The engine's progress hook for Python: checks for Ctrl-C (`Python::check_signals`) at every
//! report and forwards `(done, total)` to an optional callable (the Python layer's progress
//! bar). The engine calls the hook on the calling (main) thread, so signals are seen there.

use std::ops::ControlFlow;
use std::sync::Mutex;

use pyo3::prelude::*;
use serde::Serialize;
use shiftwatch::progress::Progress;

use crate::arrays::call;

/// A [`Progress`] that stops the engine on a pending signal or a failing callback.
pub struct PyProgress {
    callback: Option<Py<PyAny>>,
    error: Mutex<Option<PyErr>>,
}

impl PyProgress {
    fn stop(&self, err: PyErr) -> ControlFlow<()> {
        if let Ok(mut slot) = self.error.lock() {
            slot.get_or_insert(err);
        }
        ControlFlow::Break(())
    }
}

impl Progress for PyProgress {
    fn update(&self, done: u64, total: u64) -> ControlFlow<()> {
        Python::attach(|py| {
            if let Err(err) = py.check_signals() {
                return self.stop(err);
            }
            if let Some(cb) = &self.callback {
                if let Err(err) = cb.call1(py, (done, total)) {
                    return self.stop(err);
                }
            }
            ControlFlow::Continue(())
        })
    }
}

/// [`call`] for an engine function that takes a progress hook: Ctrl-C raises
/// `KeyboardInterrupt` (the pending signal's exception), `callback(done, total)` is called
/// about every 100 ms while the engine runs.
pub fn call_with_progress<T, F>(
    py: Python<'_>,
    callback: Option<Py<PyAny>>,
    f: F,
) -> PyResult<Py<PyAny>>
where
    T: Serialize,
    F: FnOnce(&dyn Progress) -> shiftwatch::Result<T> + Send,
{
    let hook = PyProgress {
        callback,
        error: Mutex::new(None),
    };
    let result = call(py, || f(&hook));
    let pending = hook.error.lock().ok().and_then(|mut e| e.take());
    match pending {
        Some(err) => Err(err),
        None => result,
    }
}
