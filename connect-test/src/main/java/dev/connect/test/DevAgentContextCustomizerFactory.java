package dev.connect.test;

import java.util.List;
import java.util.Map;

import dev.connect.agent.DevAgentSettings;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Applies {@link ConnectDevAgent}: registered in {@code META-INF/spring.factories}, so Spring's test framework calls
 * it for every test class.
 */
final class DevAgentContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		ConnectDevAgent annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass, ConnectDevAgent.class);
		return (annotation != null) ? new DevAgentContextCustomizer(annotation.defaultIntentionPolicy()) : null;
	}

	/** One agent per application context; equal customizers let contexts be cached and shared. */
	record DevAgentContextCustomizer(String defaultIntentionPolicy) implements ContextCustomizer {

		static final String PROPERTY_SOURCE = "connectDevAgent";

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			TestMesh mesh = TestMesh.start(DevAgentSettings.defaults().withHttpPort(0)
				.withDefaultIntentionPolicy(this.defaultIntentionPolicy));
			context.getEnvironment().getPropertySources()
				.addFirst(new MapPropertySource(PROPERTY_SOURCE, Map.of("connect.agent.url", mesh.agentUrl())));
			context.getBeanFactory().registerSingleton("connectTestMesh", mesh);
			context.addApplicationListener((ApplicationListener<ContextClosedEvent>) (event) -> {
				if (event.getApplicationContext() == context) {
					mesh.close();
				}
			});
		}

	}

}
