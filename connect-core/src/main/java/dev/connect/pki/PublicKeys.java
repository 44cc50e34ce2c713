package dev.connect.pki;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;

import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;

/**
 * Derives the public key of a private key: {@code Q = d·G} on the key's curve for EC, the modulus and public
 * exponent for RSA (CRT form).
 */
final class PublicKeys {

	private PublicKeys() {
	}

	static PublicKey of(PrivateKey key) {
		try {
			if (key instanceof ECPrivateKey ec) {
				ECParameterSpec params = ec.getParams();
				org.bouncycastle.math.ec.ECPoint q = EC5Util.convertSpec(params).getG().multiply(ec.getS()).normalize();
				ECPoint point = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
				return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, params));
			}
			if (key instanceof RSAPrivateCrtKey rsa) {
				return KeyFactory.getInstance("RSA")
					.generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
			}
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("Unable to derive the public key of a " + key.getAlgorithm() + " key",
					ex);
		}
		throw new IllegalArgumentException("Private key of algorithm '" + key.getAlgorithm()
				+ "' is not supported; allowed are EC and RSA (CRT form)");
	}

}
