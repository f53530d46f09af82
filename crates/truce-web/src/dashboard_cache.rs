//! The dashboard, rendered once per language for each size of the log and shared. At a
//! million reports its queries take seconds, and it is the page the public reads most:
//! rendered per request, 200 readers at once exhausted the database pool and none was
//! answered within the request timeout (`truce bench load`, BENCHMARKS.md). Now one request
//! per language renders it while the others wait for that render rather than run the same
//! queries; while a newer one renders, the last one is served if it is under
//! [`MAX_AGE`] old. A rendered page is also never kept longer than that, as it tells
//! times relative to now (deadlines, the trend's months).

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::lang::Lang;
use truce_api::problem::Problem;

/// How long a rendered dashboard is served.
const MAX_AGE: Duration = Duration::from_mins(1);

/// Rendered dashboards by language.
#[derive(Default)]
pub struct DashboardCache {
    slots: Mutex<HashMap<Lang, Arc<Slot>>>,
}

#[derive(Default)]
struct Slot {
    rendered: Mutex<Option<Rendered>>,
    /// Held by the one request rendering this language's dashboard.
    rendering: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct Rendered {
    log_size: u64,
    at: Instant,
    html: Arc<str>,
}

impl Slot {
    fn current(&self) -> Option<Rendered> {
        self.rendered
            .lock()
            .expect("not poisoned")
            .clone()
            .filter(|r| r.at.elapsed() < MAX_AGE)
    }
}

impl DashboardCache {
    /// The dashboard in `lang` for a log of `log_size` entries: the one rendered for that
    /// size, or one `render` makes (a single render per language at a time).
    pub async fn get(
        &self,
        lang: Lang,
        log_size: u64,
        render: impl Future<Output = Result<String, Problem>>,
    ) -> Result<Arc<str>, Problem> {
        let slot = self.slot(lang);
        if let Some(rendered) = slot.current() {
            let rendering_now = slot.rendering.try_lock().is_err();
            if rendered.log_size >= log_size || rendering_now {
                return Ok(rendered.html);
            }
        }
        let _turn = slot.rendering.lock().await;
        // Rendered by the request this one waited for.
        if let Some(rendered) = slot.current().filter(|r| r.log_size >= log_size) {
            return Ok(rendered.html);
        }
        let html: Arc<str> = render.await?.into();
        *slot.rendered.lock().expect("not poisoned") = Some(Rendered {
            log_size,
            at: Instant::now(),
            html: html.clone(),
        });
        Ok(html)
    }

    fn slot(&self, lang: Lang) -> Arc<Slot> {
        let mut slots = self.slots.lock().expect("not poisoned");
        slots.entry(lang).or_default().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn readers_at_once_share_one_render_and_a_longer_log_renders_again() {
        let cache = Arc::new(DashboardCache::default());
        let renders = Arc::new(AtomicUsize::new(0));
        let render = |renders: Arc<AtomicUsize>, size: u64| async move {
            renders.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
            Ok(format!("log of {size}"))
        };
        let readers: Vec<_> = (0..50)
            .map(|_| {
                let (cache, renders) = (cache.clone(), renders.clone());
                tokio::spawn(async move { cache.get(Lang::En, 7, render(renders, 7)).await })
            })
            .collect();
        for reader in readers {
            assert_eq!(&*reader.await.unwrap().unwrap(), "log of 7");
        }
        assert_eq!(renders.load(Ordering::SeqCst), 1);
        let longer = cache.get(Lang::En, 8, render(renders.clone(), 8)).await;
        assert_eq!(&*longer.unwrap(), "log of 8");
        let other = cache.get(Lang::Ur, 8, render(renders.clone(), 8)).await;
        assert_eq!(&*other.unwrap(), "log of 8");
        assert_eq!(renders.load(Ordering::SeqCst), 3);
    }
}
