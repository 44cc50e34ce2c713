package dev.connect.autoconfigure.caller;

import java.lang.reflect.Method;
import java.util.Optional;

import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.TrustDomain;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceIdentityArgumentResolverTests {

	private static final ServiceIdentity WEB = ServiceIdentity
		.of(TrustDomain.parse("11111111-2222-3333-4444-555555555555.consul"), "dc1", "web");

	private final ServiceIdentityArgumentResolver resolver = new ServiceIdentityArgumentResolver();

	private final MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/count"));

	@Test
	void supportsServiceIdentityAndOptionalServiceIdentityParametersOnly() {
		assertThat(this.resolver.supportsParameter(parameter("required"))).isTrue();
		assertThat(this.resolver.supportsParameter(parameter("nullable"))).isTrue();
		assertThat(this.resolver.supportsParameter(parameter("optional"))).isTrue();
		assertThat(this.resolver.supportsParameter(parameter("other"))).isFalse();
	}

	@Test
	void whenTheExchangeHasACallerThenEveryFormResolvesToIt() {
		this.exchange.getAttributes().put(ConnectCaller.ATTRIBUTE, WEB);
		assertThat(resolve("required")).isSameAs(WEB);
		assertThat(resolve("nullable")).isSameAs(WEB);
		assertThat(resolve("optional")).isEqualTo(Optional.of(WEB));
	}

	@Test
	void whenTheExchangeHasNoCallerThenANullableParameterIsNullAndAnOptionalOneEmpty() {
		assertThat(resolve("nullable")).isNull();
		assertThat(resolve("optional")).isEqualTo(Optional.empty());
	}

	@Test
	void whenTheExchangeHasNoCallerThenARequiredParameterRefusesTheRequestNamingIt() {
		assertThatThrownBy(() -> resolve("required")).isInstanceOfSatisfying(ResponseStatusException.class,
				(ex) -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN))
			.hasMessageContaining(String.format(ServiceIdentityArgumentResolver.NO_CALLER, "caller",
					"Handlers.required"));
	}

	private @Nullable Object resolve(String method) {
		return this.resolver.resolveArgument(parameter(method), new BindingContext(), this.exchange).block();
	}

	private static MethodParameter parameter(String name) {
		for (Method method : Handlers.class.getDeclaredMethods()) {
			if (method.getName().equals(name)) {
				MethodParameter parameter = new MethodParameter(method, 0);
				parameter.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
				return parameter;
			}
		}
		throw new IllegalArgumentException(name);
	}

	@SuppressWarnings("unused")
	static class Handlers {

		String required(ServiceIdentity caller) {
			return caller.service();
		}

		String nullable(@Nullable ServiceIdentity caller) {
			return String.valueOf(caller);
		}

		String optional(Optional<ServiceIdentity> caller) {
			return caller.toString();
		}

		String other(String caller) {
			return caller;
		}

	}

}
