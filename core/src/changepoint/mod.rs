//! Change points inside one series: costs, exact and approximate searches, penalties,
//! E-divisive, and a significance for every change point reported.
//!
//! - [`cost`]: the [`Cost`] trait and its models ([`CostKind`] chooses one by name).
//! - [`search`]: PELT, exact DP (the oracle), binary segmentation ([`Method`], [`Stop`]).
//! - [`penalty`]: BIC/MBIC/AIC/HQ and the robust, dependence-aware noise scale.
//! - [`prepare`]: missing values skipped, normal scores against heavy tails and skew.
//! - [`edivisive`]: E-divisive (energy statistic, seeded permutation test).
//! - [`decafs()`]: steps on a random-walk drift with AR(1) noise (DeCAFS), exact.
//! - [`model`]: the default's choice of step, drift or trend per series.
//! - [`detect()`]: the default pipeline with a validated p-value per change point.
//! - [`detect_multivariate`]: the same for several aligned series ([`cost::L2Multi`]).

pub mod cost;
pub mod decafs;
pub mod detect;
pub mod edivisive;
pub mod model;
pub mod multi;
pub mod penalty;
pub mod prepare;
pub mod scale;
pub mod search;

pub use cost::{Cost, CostKind};
pub use decafs::{decafs, decafs_crops, Decafs, DecafsParams};
pub use detect::{detect, ChangeKind, ChangePoint, DetectOptions, Detection};
pub use edivisive::{e_divisive, EDivisive, EDivisiveOptions};
pub use model::{Model, ModelChoice, Season};
pub use multi::{detect_multivariate, DimensionChange, MultiChangePoint, MultiDetection};
pub use penalty::{NoiseScale, Penalty};
pub use prepare::{normal_scores, Scale};
pub use search::{search, Method, Segmentation, Stop};

/// The result of a scoped thread (its panic, if any, resumed on the caller's thread).
pub(crate) fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}
