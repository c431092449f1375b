use crate::console::api::AdvanceClock;
use crate::console::components::{FieldErrorText, FormErrorText, ViewerNotice};
use crate::console::ui::{use_me, use_query};
use crate::forms::{field_code, form_error};
use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

/// `/admin/test-clock` (demo): advance the organization's time by N days and see what ran.
#[component]
pub fn TestClockPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = use_me();
    let action = ServerAction::<AdvanceClock>::new();
    let report = use_query("report");
    view! {
        <h1>{t!(i18n, console.test_clock)}</h1>
        <p>{t!(i18n, console.test_clock_lede)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let can_change = me.await.map(|m| m.can_change).unwrap_or(false);
                view! {
                    <div class="notices">
                        <ViewerNotice can_change />
                    </div>
                    <ActionForm action=action>
                        <div class="field">
                            <label for="clock-days">{t!(i18n, console.days)}</label>
                            <input
                                id="clock-days"
                                name="days"
                                type="number"
                                min="1"
                                max=domain::ClockDays::MAX.to_string()
                                value="1"
                                required
                                disabled=!can_change
                                aria-describedby="clock-days-error"
                            />
                            <FieldErrorText
                                id="clock-days-error"
                                code=field_code(action.value(), "days")
                            />
                        </div>
                        <FormErrorText error=form_error(action.value()) />
                        <button
                            type="submit"
                            class="button"
                            disabled=move || !can_change || action.pending().get()
                        >
                            {t!(i18n, console.advance)}
                        </button>
                    </ActionForm>
                }
            })}
        </Suspense>
        {move || {
            report
                .get()
                .map(|r| {
                    view! {
                        <h2>{t!(i18n, console.clock_report)}</h2>
                        <pre class="clock-report" role="status">
                            {r}
                        </pre>
                    }
                })
        }}
    }
}
