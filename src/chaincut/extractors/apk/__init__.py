"""The APK extractor: ZIP, manifest, resources, signatures, DEX and indicators."""
