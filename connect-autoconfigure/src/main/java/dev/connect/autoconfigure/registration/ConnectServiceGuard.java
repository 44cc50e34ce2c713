package dev.connect.autoconfigure.registration;

import dev.connect.autoconfigure.ConnectProperties;
import dev.connect.autoconfigure.UnsecurableServiceException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Refuses a {@link ConnectService} the starter cannot secure, once every singleton exists and before the web server
 * starts, so a refused configuration never opens its port nor registers it:
 * <ol>
 * <li>{@code connect.tls.server.enabled=false} (the mesh server is off: no mutual TLS, no authorization);</li>
 * <li>a servlet application on another server than Tomcat (the starter secures Tomcat only: Jetty's connector
 * would serve plain HTTP);</li>
 * <li>{@code @ConnectService(name = ...)} naming another service than the identity the certificate proves.</li>
 * </ol>
 */
final class ConnectServiceGuard implements SmartInitializingSingleton {

	private static final String SERVLET_CONTEXT = "org.springframework.web.context.WebApplicationContext";

	/** The bean that secures Tomcat ({@code ConnectTomcatTlsAutoConfiguration}); without it nothing secures the port. */
	private static final String TOMCAT_TLS = "connectTomcatTlsCustomizer";

	private final ApplicationContext context;

	private final ConnectProperties connect;

	ConnectServiceGuard(ApplicationContext context, ConnectProperties connect) {
		this.context = context;
		this.connect = connect;
	}

	@Override
	public void afterSingletonsInstantiated() {
		ConnectService annotation = find(this.context);
		if (annotation == null) {
			return;
		}
		String identity = this.connect.resolveService(this.context.getEnvironment());
		if (!this.context.getEnvironment().getProperty("connect.tls.server.enabled", Boolean.class, true)) {
			throw UnsecurableServiceException.serverOff(identity);
		}
		if (isServlet(this.context) && !this.context.containsBean(TOMCAT_TLS)) {
			throw UnsecurableServiceException.servlet(servletServer(this.context.getClassLoader()), identity);
		}
		if (StringUtils.hasText(annotation.name()) && !annotation.name().equals(identity)) {
			String source = StringUtils.hasText(this.connect.getService()) ? "connect.service"
					: "spring.application.name";
			throw UnsecurableServiceException.name(annotation.name(), identity, source);
		}
	}

	/**
	 * Returns the {@link ConnectService} annotation of the application, if a bean carries one.
	 * @param context the context
	 * @return the annotation, or {@code null} when no bean is annotated
	 */
	static @Nullable ConnectService find(ApplicationContext context) {
		for (String name : context.getBeanNamesForAnnotation(ConnectService.class)) {
			ConnectService annotation = context.findAnnotationOnBean(name, ConnectService.class);
			if (annotation != null) {
				return annotation;
			}
			Class<?> type = context.getType(name);
			annotation = (type != null) ? AnnotationUtils.findAnnotation(type, ConnectService.class) : null;
			if (annotation != null) {
				return annotation;
			}
		}
		return null;
	}

	private static boolean isServlet(ApplicationContext context) {
		return ClassUtils.isPresent(SERVLET_CONTEXT, context.getClassLoader()) && ServletContexts.isServlet(context);
	}

	private static String servletServer(@Nullable ClassLoader classLoader) {
		if (ClassUtils.isPresent("org.eclipse.jetty.server.Server", classLoader)) {
			return "Jetty";
		}
		if (ClassUtils.isPresent("io.undertow.Undertow", classLoader)) {
			return "Undertow";
		}
		if (ClassUtils.isPresent("org.apache.catalina.startup.Tomcat", classLoader)) {
			return "Tomcat without the mesh's TLS (ConnectTomcatTlsAutoConfiguration did not apply)";
		}
		return "a servlet container";
	}

	/** Touches the servlet context type only once it is known to be present. */
	private static final class ServletContexts {

		static boolean isServlet(ApplicationContext context) {
			return context instanceof org.springframework.web.context.WebApplicationContext;
		}

	}

}
