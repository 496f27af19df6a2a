package dev.tokenissuer.grant.exchange;

import dev.tokenissuer.grant.RefusalReason;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Sends a client's signed GetCallerIdentity to STS, as it was signed, and reads the caller's ARN from the answer.
 * STS checks the signature (and refuses a request signed more than 15 minutes from its clock); an answer of 400 or
 * 403 means it refused it. No answer, or a 5xx, is STS unavailable: {@link SdkClientException}, a 503 with nothing
 * spent.
 */
final class StsCaller {

    /** GetCallerIdentity's answer is about 500 bytes. */
    private static final int MAX_ANSWER_BYTES = 16 * 1024;

    private final BoundedHttp http;

    StsCaller(BoundedHttp http) {
        this.http = http;
    }

    /** The caller's ARN, as STS answered it. */
    String callerArn(SignedCallerIdentityRequest signed) {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .uri(signed.target())
                .method(SdkHttpMethod.fromValue(signed.method()));
        signed.headers().forEach(request::putHeader);
        if (signed.body().length > 0) {
            byte[] body = signed.body();
            request.contentStreamProvider(() -> new ByteArrayInputStream(body));
        }
        BoundedHttp.Answer answer = http.call(request.build(), MAX_ANSWER_BYTES);
        if (answer.status() == 400 && new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8)
                .contains("<Code>Throttling</Code>")) {
            // STS answers throttling with a 400: ours to retry, not the client's fault.
            throw SdkClientException.create("STS throttled the call");
        }
        if (answer.status() == 400 || answer.status() == 403) {
            throw ExchangeRefusals.notAccepted(RefusalReason.AWS_SIGNATURE_INVALID);
        }
        if (answer.status() != 200) {
            throw SdkClientException.create("STS answered HTTP " + answer.status());
        }
        return arn(answer.body());
    }

    /** {@code GetCallerIdentityResponse/GetCallerIdentityResult/Arn}; a parser that reads no DTD or entity. */
    static String arn(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            Document document = builder.parse(new ByteArrayInputStream(xml));
            if (!"GetCallerIdentityResponse".equals(document.getDocumentElement().getTagName())) {
                throw SdkClientException.create("STS answered something other than GetCallerIdentityResponse");
            }
            NodeList arns = document.getElementsByTagName("Arn");
            if (arns.getLength() != 1 || arns.item(0).getTextContent().isBlank()) {
                throw SdkClientException.create("STS answered without one Arn");
            }
            return arns.item(0).getTextContent().strip();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw SdkClientException.create("STS answered XML that does not parse", e);
        }
    }
}
