pub mod bench;
pub mod console;
pub mod example;
pub mod params;
pub mod rust_source;
pub mod timeline;
pub mod waitfor;
