package dev.vigil.feedback.releases;

import dev.vigil.model.adapter.ReleaseSigning;
import dev.vigil.model.adapter.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * The Ed25519 pair the loop signs releases with, checked at start to be one pair: a release signed with a private key
 * whose public half the scorer does not hold would be refused there, long after the loop thought it published.
 */
public record SigningKeyPair(PrivateKey privateKey, PublicKey publicKey) {

    public SigningKeyPair {
        try {
            byte[] probe = "vigil-feedback key check".getBytes(StandardCharsets.UTF_8);
            Signature signer = Signature.getInstance(ReleaseSigning.ALGORITHM);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(ReleaseSigning.ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IllegalArgumentException("feedback.signing-key and feedback.signing-public-key are not "
                        + "one key pair");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("feedback.signing-key is not a usable Ed25519 key: " + e.getMessage(),
                    e);
        }
    }

    /** The id releases carry as their signer: the public key's. */
    public String keyId() {
        return SigningKeys.keyId(publicKey);
    }
}
