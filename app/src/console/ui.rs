//! Small helpers the console's pages share.
use crate::console::dto::Me;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The signed-in staff member, loaded once by the layout and shared with its pages.
#[derive(Clone, Copy)]
pub struct MeResource(pub Resource<Result<Me, AppError>>);

/// The layout's `me` resource.
pub fn use_me() -> Resource<Result<Me, AppError>> {
    expect_context::<MeResource>().0
}

/// One query value as a signal.
pub fn use_query(name: &'static str) -> Signal<Option<String>> {
    let query = use_query_map();
    Signal::derive(move || query.read().get(name))
}

/// A delayed action of which only the newest start runs: a toast or a "Copied" label
/// that hides after a while, unless a newer one took its place. Browser only (the timer
/// is set from effects and event handlers).
#[derive(Clone, Copy)]
pub struct LatestTimer(StoredValue<u32>);

impl LatestTimer {
    /// A timer that has not started.
    pub fn new() -> Self {
        Self(StoredValue::new(0))
    }

    /// Runs `then` after `delay`, unless `start` is called again before.
    pub fn start(self, delay: std::time::Duration, then: impl FnOnce() + 'static) {
        let this = self.0.get_value().wrapping_add(1);
        self.0.set_value(this);
        set_timeout(
            move || {
                if self.0.try_get_value() == Some(this) {
                    then();
                }
            },
            delay,
        );
    }
}

impl Default for LatestTimer {
    fn default() -> Self {
        Self::new()
    }
}
