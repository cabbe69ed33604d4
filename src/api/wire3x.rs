//! placeholder (being written by another engineer; will be overwritten)
#[derive(Debug, Clone, serde::Deserialize)]
pub struct BuildVersion { #[serde(rename="ProductVersion")] pub product_version: String, #[serde(rename="BuildVersion")] pub build_version: String }
