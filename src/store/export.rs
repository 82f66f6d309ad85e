//! `export-data`: the store written back as a data directory, in the files' own format, so a
//! store seeded from the shipped data and exported gives the same bytes.

use std::path::{Component, Path, PathBuf};

use super::boundaries_file;
use super::records::StoreFiles;
use crate::dataset::{self, DATA_FILES};
use crate::inventory::source::Source;

/// Writes every file to `dir` (new or empty); returns how many. Paths from dataset.toml that
/// would leave the directory (`..`, absolute) are refused.
pub fn write(files: &StoreFiles, dir: &Path) -> Result<usize, String> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .next()
            .is_some()
    {
        return Err(format!("{} finns och är inte tom", dir.display()));
    }
    let dataset = files.dataset(None).map_err(|p| p.to_string())?;
    let mut out: Vec<(PathBuf, &str)> = Vec::new();
    let toml = files
        .verbatim
        .get(dataset::FILE)
        .ok_or("dataset.toml saknas i lagret")?;
    out.push((PathBuf::from(dataset::FILE), toml));
    for (id, region) in &dataset.config.regions {
        let text = files
            .verbatim
            .get(&boundaries_file(id))
            .ok_or_else(|| format!("gränserna för {id} saknas i lagret"))?;
        out.push((region.boundaries.clone(), text));
    }
    for name in DATA_FILES {
        let path = dataset
            .config
            .files
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(format!("{name}.csv")));
        let text = files
            .text(name)
            .ok_or_else(|| format!("{name}.csv saknas i lagret"))?;
        out.push((path, text));
    }
    for (path, _) in &out {
        if path
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(format!(
                "{} ligger utanför katalogen (dataset.toml lånar filer med ../): exporten skrivs inte",
                path.display()
            ));
        }
    }
    for (path, text) in &out {
        let to = dir.join(path);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&to, text).map_err(|e| format!("{}: {e}", to.display()))?;
    }
    Ok(out.len())
}
