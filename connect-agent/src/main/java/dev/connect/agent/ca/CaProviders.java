package dev.connect.agent.ca;

import java.util.Map;

/**
 * The registry of CA providers by name. Adding a provider is a class implementing {@link CaProvider} and one entry
 * here.
 */
final class CaProviders {

	private static final Map<String, Factory> FACTORIES = Map.of(BuiltInProvider.NAME, BuiltInProvider::configure,
			VaultProvider.NAME, VaultProvider::configure);

	private static final Map<String, Resumer> RESUMERS = Map.of(BuiltInProvider.NAME, BuiltInProvider::resume,
			VaultProvider.NAME, VaultProvider::resume);

	private CaProviders() {
	}

	/**
	 * Configures the named provider.
	 * @throws IllegalArgumentException with Consul's {@code unknown CA provider "<name>"} for a name not registered,
	 * or the provider's own refusal of its settings
	 */
	static CaProvider configure(ProviderContext context, ProviderConfig config) {
		Factory factory = FACTORIES.get(config.provider());
		if (factory == null) {
			throw new IllegalArgumentException("unknown CA provider \"" + config.provider() + "\"");
		}
		return factory.configure(context, config);
	}

	/**
	 * Brings back the named provider after a restart, over the active root the data directory kept; nothing is
	 * generated.
	 * @throws IllegalArgumentException naming what is wrong when the kept state does not fit the provider
	 */
	static CaProvider resume(ProviderContext context, ProviderConfig config, SigningRoot active) {
		Resumer resumer = RESUMERS.get(config.provider());
		if (resumer == null) {
			throw new IllegalArgumentException("CA state names unknown CA provider \"" + config.provider() + "\"");
		}
		return resumer.resume(context, config, active);
	}

	/** Makes a configured provider over a root it made before a restart. */
	@FunctionalInterface
	interface Resumer {

		CaProvider resume(ProviderContext context, ProviderConfig config, SigningRoot active);

	}

	/** Makes a configured provider, its root generated or loaded. */
	@FunctionalInterface
	interface Factory {

		CaProvider configure(ProviderContext context, ProviderConfig config);

	}

}
