package dev.connect.autoconfigure.client;

import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * For tests that run several apps in one JVM and close some of them mid-test: each app gets its own event loops, so
 * that closing one does not dispose the Reactor Netty global resources the others share (one app per JVM in real
 * deployments), and closing it waits for its loops without Reactor Netty's default 2 s of quiet on top.
 */
@Configuration(proxyBeanMethods = false)
class OwnReactorResources {

	@Bean
	ReactorResourceFactory reactorResourceFactory() {
		ReactorResourceFactory factory = new ReactorResourceFactory();
		factory.setUseGlobalResources(false);
		factory.setShutdownQuietPeriod(Duration.ZERO);
		return factory;
	}

}
