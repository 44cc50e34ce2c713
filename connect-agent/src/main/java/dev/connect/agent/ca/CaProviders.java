package dev.connect.agent.ca;

import java.util.Map;

/**
 * The registry of CA providers by name. Adding a provider is a class implementing {@link CaProvider} and one entry
 * here.
 */
final class CaProviders {

	private static final Map<String, Factory> FACTORIES = Map.of(BuiltInProvider.NAME, BuiltInProvider::configure);

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

	/** Makes a configured provider, its root generated or loaded. */
	@FunctionalInterface
	interface Factory {

		CaProvider configure(ProviderContext context, ProviderConfig config);

	}

}
