package org.orderly.config.privacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import org.orderly.api.common.DataSubject;
import org.orderly.api.common.PersonalData;

/**
 * Seals every {@link PersonalData} component of what this mapper writes with the key of the message's
 * {@link DataSubject}, and opens it again on reading: a Jackson module, so that the event serializer, the
 * dead-letter queues and the snapshots, which all go through it, store no personal data in readable form.
 * <p>
 * Reading a value whose subject was erased gives {@link PersonalData#ERASED} for text and {@code null} for
 * anything else: an erased customer's events still load, replay and rebuild, without their personal data.
 * A text that is not sealed (written before personal data was sealed) reads as it is.
 */
public final class PersonalDataModule extends SimpleModule {

    private static final ObjectMapper PLAIN = new ObjectMapper().findAndRegisterModules();

    public PersonalDataModule(PersonalDataCipher cipher) {
        super("orderly-personal-data");
        setSerializerModifier(new Sealing(cipher));
        setDeserializerModifier(new Opening(cipher));
    }

    private static final class Sealing extends BeanSerializerModifier {
        private final PersonalDataCipher cipher;

        Sealing(PersonalDataCipher cipher) {
            this.cipher = cipher;
        }

        @Override
        public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription description,
                                                         List<BeanPropertyWriter> properties) {
            BeanPropertyWriter subject = null;
            boolean personal = false;
            for (BeanPropertyWriter property : properties) {
                if (property.getAnnotation(DataSubject.class) != null) {
                    subject = property;
                }
                personal |= property.getAnnotation(PersonalData.class) != null;
            }
            if (!personal) {
                return properties;
            }
            if (subject == null) {
                throw new IllegalStateException(description.getBeanClass().getName()
                        + " holds @PersonalData but names no @DataSubject whose key would seal it");
            }
            List<BeanPropertyWriter> changed = new ArrayList<>(properties.size());
            for (BeanPropertyWriter property : properties) {
                changed.add(property.getAnnotation(PersonalData.class) == null ? property
                        : new SealingWriter(property, subject, cipher));
            }
            return changed;
        }
    }

    private static final class SealingWriter extends BeanPropertyWriter {
        private final BeanPropertyWriter subject;
        private final transient PersonalDataCipher cipher;

        SealingWriter(BeanPropertyWriter base, BeanPropertyWriter subject, PersonalDataCipher cipher) {
            super(base);
            this.subject = subject;
            this.cipher = cipher;
        }

        @Override
        public void serializeAsField(Object bean, JsonGenerator gen, SerializerProvider provider) throws Exception {
            Object value = get(bean);
            if (value == null) {
                super.serializeAsField(bean, gen, provider);
                return;
            }
            Object owner = subject.get(bean);
            if (owner == null) {
                throw new IllegalStateException(bean.getClass().getName() + "." + getName()
                        + " is personal data without a subject to seal it for");
            }
            byte[] plaintext = value instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
                    : PLAIN.writeValueAsBytes(value);
            String sealed;
            try {
                sealed = cipher.seal(owner.toString(), plaintext);
            } catch (SubjectErasedException erased) {
                // Business goes on for an erased customer (staff cancel their order), without their personal data.
                gen.writeFieldName(getName());
                if (value instanceof String) {
                    gen.writeString(PersonalData.ERASED);
                } else {
                    gen.writeNull();
                }
                return;
            }
            gen.writeFieldName(getName());
            gen.writeString(sealed);
        }
    }

    private static final class Opening extends BeanDeserializerModifier {
        private final PersonalDataCipher cipher;

        Opening(PersonalDataCipher cipher) {
            this.cipher = cipher;
        }

        @Override
        public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                                                      JsonDeserializer<?> deserializer) {
            Map<String, JavaType> personal = new LinkedHashMap<>();
            for (BeanPropertyDefinition property : description.findProperties()) {
                if (annotated(property)) {
                    personal.put(property.getName(), property.getPrimaryType());
                }
            }
            return personal.isEmpty() ? deserializer : new OpeningDeserializer(deserializer, personal, cipher);
        }

        private static boolean annotated(BeanPropertyDefinition property) {
            for (AnnotatedMember member : new AnnotatedMember[]{property.getField(), property.getGetter(),
                    property.getConstructorParameter()}) {
                if (member != null && member.hasAnnotation(PersonalData.class)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final class OpeningDeserializer extends DelegatingDeserializer {
        private final Map<String, JavaType> personal;
        private final transient PersonalDataCipher cipher;

        OpeningDeserializer(JsonDeserializer<?> delegate, Map<String, JavaType> personal, PersonalDataCipher cipher) {
            super(delegate);
            this.personal = personal;
            this.cipher = cipher;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new OpeningDeserializer(delegate, personal, cipher);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode tree = context.readTree(parser);
            if (tree instanceof ObjectNode object) {
                personal.forEach((name, type) -> {
                    JsonNode value = object.get(name);
                    if (value != null && value.isTextual() && PersonalDataCipher.isSealed(value.textValue())) {
                        object.set(name, open(value.textValue(), type));
                    }
                });
            }
            JsonParser opened = tree.traverse(parser.getCodec());
            opened.nextToken();
            return _delegatee.deserialize(opened, context);
        }

        private JsonNode open(String sealed, JavaType type) {
            Optional<byte[]> plaintext = cipher.open(sealed);
            boolean text = type.hasRawClass(String.class);
            if (plaintext.isEmpty()) {
                return text ? TextNode.valueOf(PersonalData.ERASED) : NullNode.getInstance();
            }
            if (text) {
                return TextNode.valueOf(new String(plaintext.get(), StandardCharsets.UTF_8));
            }
            try {
                return PLAIN.readTree(plaintext.get());
            } catch (IOException e) {
                throw new IllegalStateException("Opened personal data is not the JSON it was sealed as", e);
            }
        }
    }
}
