//! Pages of a loaded file; each is a component composed of the components in `ui::components`.

pub mod actions;
pub mod clv;
pub mod data;
pub mod lifecycle;
pub mod nps;
pub mod overview;
pub mod pyramid;
pub mod segments;
