"""iOS readers: IPA, provisioning profiles, configuration profiles, itms-services manifests."""
