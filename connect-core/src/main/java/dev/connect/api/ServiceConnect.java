package dev.connect.api;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Connect} block of a service: Connect-native, or a sidecar proxy to register with it.
 *
 * @param nativeService whether the service speaks Connect itself ({@code Native})
 * @param sidecarService a sidecar proxy to register for the service; {@code {}} is enough
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record ServiceConnect(@JsonProperty("Native") @JsonAlias("native") boolean nativeService,
		@JsonProperty("SidecarService") @JsonAlias("sidecar_service") @Nullable ServiceRegistration sidecarService) {

	/** Connect-native. */
	public static final ServiceConnect NATIVE = new ServiceConnect(true, null);

}
