package dev.connect.autoconfigure.caller;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The mesh caller as the application sees it.
 */
@ConfigurationProperties("connect.caller")
public class ConnectCallerProperties {

	private final Security security = new Security();

	public Security getSecurity() {
		return this.security;
	}

	/**
	 * The caller as Spring Security's authentication.
	 */
	public static class Security {

		/**
		 * Whether an allowed mesh caller is Spring Security's authentication of its request (principal its
		 * ServiceIdentity, name its service name, authority SERVICE_<name>), when Spring Security is present.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
