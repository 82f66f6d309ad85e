//! Where the data files are read from: a data directory on disk, or the store's copy of them.
//! Both go through the same validation, so an edit is refused with the same report as a file.

use std::io;
use std::path::Path;

use crate::dataset::Dataset;
use crate::problem::Problem;

pub trait Source {
    /// `dataset.toml`, read and its region chosen.
    fn dataset(&self, region: Option<&str>) -> Result<Dataset, Problem>;
    /// How a data file (a name of `dataset::DATA_FILES`) is named in problems.
    fn shown(&self, dataset: &Dataset, name: &str) -> String;
    /// The bytes of a data file.
    fn file(&self, dataset: &Dataset, name: &str) -> io::Result<Vec<u8>>;
    /// How the region's boundary file is named in problems, and its text.
    fn boundaries(&self, dataset: &Dataset) -> (String, io::Result<String>);
}

/// A data directory with its `dataset.toml`.
pub struct Directory<'d>(pub &'d Path);

impl Source for Directory<'_> {
    fn dataset(&self, region: Option<&str>) -> Result<Dataset, Problem> {
        Dataset::open(self.0, region)
    }

    fn shown(&self, dataset: &Dataset, name: &str) -> String {
        dataset.file(name).display().to_string()
    }

    fn file(&self, dataset: &Dataset, name: &str) -> io::Result<Vec<u8>> {
        std::fs::read(dataset.file(name))
    }

    fn boundaries(&self, dataset: &Dataset) -> (String, io::Result<String>) {
        let path = dataset.boundaries_path();
        (path.display().to_string(), std::fs::read_to_string(&path))
    }
}
