use crate::console::dto::ChartDay;
use crate::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;

const W: f64 = 600.0;
const H: f64 = 160.0;

/// Recovered vs failed payments per day, as a small SVG bar chart rendered on the server.
#[component]
pub fn RecoveryChart(days: Vec<ChartDay>) -> impl IntoView {
    let i18n = use_i18n();
    let max = days
        .iter()
        .map(|d| d.recovered_minor.max(d.failed_minor))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let n = days.len().max(1) as f64;
    let slot = W / n;
    let bar = (slot / 2.0 - 1.0).max(1.0);
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let x = i as f64 * slot;
            let hr = d.recovered_minor as f64 / max * (H - 10.0);
            let hf = d.failed_minor as f64 / max * (H - 10.0);
            view! {
                <g>
                    <rect
                        class="bar-recovered"
                        x=format!("{x:.1}")
                        y=format!("{:.1}", H - hr)
                        width=format!("{bar:.1}")
                        height=format!("{hr:.1}")
                    />
                    <rect
                        class="bar-failed"
                        x=format!("{:.1}", x + bar + 1.0)
                        y=format!("{:.1}", H - hf)
                        width=format!("{bar:.1}")
                        height=format!("{hf:.1}")
                    />
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg
                viewBox=format!("0 0 {W} {H}")
                role="img"
                aria-label=move || t_string!(i18n, console.chart_label).to_string()
                preserveAspectRatio="none"
            >
                <line x1="0" y1=H x2=W y2=H class="axis" />
                {bars}
            </svg>
            <figcaption>
                <span class="legend legend-recovered">{t!(i18n, console.chart_recovered)}</span>
                " "
                <span class="legend legend-failed">{t!(i18n, console.chart_failed)}</span>
            </figcaption>
        </figure>
    }
}
