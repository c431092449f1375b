use crate::console::api::overview;
use crate::console::components::{ReasonsChart, RecoveryChart};
use crate::console::pages::failed_view;
use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

/// `/admin`: active subscriptions, MRR, past due, and revenue recovered through the portal.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| overview());
    let welcome = crate::console::ui::use_query("welcome");
    view! {
        <h1>{t!(i18n, console.overview)}</h1>
        {move || {
            welcome
                .get()
                .map(|how| {
                    let text = if how == "joined" {
                        t!(i18n, console.welcome_joined).into_any()
                    } else {
                        t!(i18n, console.welcome).into_any()
                    };
                    view! {
                        <p class="notice notice-success" role="status">
                            {text}
                        </p>
                    }
                })
        }}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(o) => {
                        view! {
                            <dl class="stats">
                                <div>
                                    <dt>{t!(i18n, console.stat_active)}</dt>
                                    <dd>{o.active_subscriptions.to_string()}</dd>
                                </div>
                                <div>
                                    <dt>{t!(i18n, console.stat_mrr)}</dt>
                                    <dd>{o.mrr.clone()}</dd>
                                </div>
                                <div>
                                    <dt>{t!(i18n, console.stat_past_due)}</dt>
                                    <dd>
                                        {format!("{} · {}", o.past_due_count, o.past_due_amount)}
                                    </dd>
                                </div>
                                <div>
                                    <dt>{t!(i18n, console.stat_recovered)}</dt>
                                    <dd>{o.recovered_30d.clone()}</dd>
                                </div>
                            </dl>
                            <h2>{t!(i18n, console.chart_title)}</h2>
                            <RecoveryChart days=o.chart />
                            <h2>{t!(i18n, console.reasons_title)}</h2>
                            <ReasonsChart months=o.reasons />
                        }
                            .into_any()
                    }
                    Err(e) => failed_view(e),
                }
            })}
        </Suspense>
    }
}
