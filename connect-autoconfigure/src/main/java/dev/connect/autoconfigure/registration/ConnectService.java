package dev.connect.autoconfigure.registration;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes the application a Connect-native service: on start it is registered with the agent (Connect-native, with a
 * TTL check it heartbeats) and on shutdown deregistered before the web server drains. Put it on the application
 * class.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ConnectService {

	/**
	 * The service name; empty (the default) means {@code connect.service}, else {@code spring.application.name}.
	 * @return the name
	 */
	String name() default "";

	/**
	 * Tags of the instance; none by default.
	 * @return the tags
	 */
	String[] tags() default {};

	/**
	 * Metadata of the instance as {@code key=value} pairs; none by default.
	 * @return the metadata
	 */
	String[] meta() default {};

	/**
	 * The port to register; 0 (the default) means the web server's bound port.
	 * @return the port
	 */
	int port() default 0;

}
